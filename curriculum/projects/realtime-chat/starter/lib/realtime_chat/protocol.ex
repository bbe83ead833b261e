defmodule RealtimeChat.Protocol do
  @moduledoc """
  Stage 1. The line protocol spoken over TCP, as pure functions: no processes,
  no sockets.

  `parse/1` turns one line from a client into a command (or an error), and
  `format/1` turns a server reply or event into the line sent to a client.
  The exact rules are in the project brief, section "The protocol".

  Elixir you will want here:

    * Strings are UTF-8 binaries. `:binary.split(line, " ")` splits at the
      *first* space only: `["JOIN", "lobby"]`, or `["QUIT"]` when there is none.
    * `String.upcase(word, :ascii)` upper-cases only `a-z`, which is all a
      command word needs.
    * `String.ends_with?/2` and `binary_part/3` remove a known suffix.
    * A function can have several clauses, tried top to bottom:
      `def format({:ok_nick, nick}), do: ...` then `def format(:bye), do: ...`.
      `"OK NICK \#{nick}\\n"` interpolates.
  """

  @type name :: String.t()
  @type command ::
          {:nick, name}
          | {:join, name}
          | {:msg, name, String.t()}
          | {:leave, name}
          | {:who, name}
          | :quit
  @type parse_error :: :unknown_command | :bad_args | :invalid_name
  @type reply ::
          {:ok_nick, name}
          | {:ok_join, name, non_neg_integer}
          | {:ok_leave, name}
          | {:history, name, name, String.t()}
          | {:message, name, name, String.t()}
          | {:joined, name, name}
          | {:left, name, name}
          | {:who, name, [name]}
          | {:lost, name}
          | :bye
          | {:error, atom}

  @doc """
  True when `name` is a valid nick or room name: 1 to 32 bytes, each one of
  `A-Z`, `a-z`, `0-9`, `_` or `-`. False for anything that is not a binary.

      iex> valid_name?("back-end_2")
      true
      iex> valid_name?("caf\u00e9")
      false
  """
  @spec valid_name?(term) :: boolean
  def valid_name?(_name) do
    raise "not implemented"
  end

  @doc """
  Parses one line sent by a client.

  Remove exactly one trailing `"\\n"` and then one trailing `"\\r"`, nothing
  else. The command word (up to the first space) is case-insensitive;
  arguments are not. Returns:

    * `{:ok, {:nick, nick}}`, `{:ok, {:join, room}}`, `{:ok, {:leave, room}}`,
      `{:ok, {:who, room}}`: exactly one argument, a valid name
    * `{:ok, {:msg, room, text}}`: the text is everything after the space that
      follows the room, byte for byte, and must not be empty
    * `{:ok, :quit}`: no argument at all
    * `{:error, :unknown_command}`: any other word, including the empty word
      of `""` or `" JOIN x"`
    * `{:error, :bad_args}`: missing, empty or extra arguments
    * `{:error, :invalid_name}`: the argument is present but breaks the naming rule

      iex> parse("MSG lobby hi  there\\r\\n")
      {:ok, {:msg, "lobby", "hi  there"}}
      iex> parse("JOIN a b\\n")
      {:error, :bad_args}
  """
  @spec parse(binary) :: {:ok, command} | {:error, parse_error}
  def parse(_line) do
    raise "not implemented"
  end

  @doc """
  Formats a server reply or event as one line, including the trailing `"\\n"`:

      {:ok_nick, n}             -> "OK NICK n"
      {:ok_join, r, count}      -> "OK JOIN r count"
      {:ok_leave, r}            -> "OK LEAVE r"
      {:history, r, n, text}    -> "HISTORY r n text"
      {:message, r, n, text}    -> "MSG r n text"
      {:joined, r, n}           -> "JOINED r n"
      {:left, r, n}             -> "LEFT r n"
      {:who, r, [n1, n2]}       -> "WHO r n1 n2"   (in the order given; "WHO r" when empty)
      {:lost, r}                -> "LOST r"
      :bye                      -> "BYE"
      {:error, code}            -> "ERR code"
  """
  @spec format(reply) :: String.t()
  def format(_reply) do
    raise "not implemented"
  end
end
