defmodule RealtimeChat.Protocol do
  @moduledoc """
  The line protocol spoken over TCP, as pure functions: no processes, no sockets.

  `parse/1` turns one line from a client into a command (or an error), and
  `format/1` turns a server reply or event into the line sent to a client.
  The full protocol is described in the project brief.
  """

  @max_name 32

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
  `A-Z`, `a-z`, `0-9`, `_` or `-`.
  """
  @spec valid_name?(term) :: boolean
  def valid_name?(name) when is_binary(name) and byte_size(name) in 1..@max_name do
    name |> :binary.bin_to_list() |> Enum.all?(&name_char?/1)
  end

  def valid_name?(_), do: false

  defp name_char?(c) when c in ?a..?z or c in ?A..?Z or c in ?0..?9 or c in [?_, ?-], do: true
  defp name_char?(_), do: false

  @doc """
  Parses one line sent by a client.

  One trailing `"\\n"` and then one trailing `"\\r"` are removed; nothing else
  is trimmed. The command word (up to the first space) is case-insensitive;
  arguments are not.
  """
  @spec parse(binary) :: {:ok, command} | {:error, parse_error}
  def parse(line) when is_binary(line) do
    line = line |> drop_suffix("\n") |> drop_suffix("\r")

    {word, rest} =
      case :binary.split(line, " ") do
        [word] -> {word, nil}
        [word, rest] -> {word, rest}
      end

    case String.upcase(word, :ascii) do
      "NICK" -> single_name(rest, :nick)
      "JOIN" -> single_name(rest, :join)
      "LEAVE" -> single_name(rest, :leave)
      "WHO" -> single_name(rest, :who)
      "MSG" -> message(rest)
      "QUIT" when rest == nil -> {:ok, :quit}
      "QUIT" -> {:error, :bad_args}
      _ -> {:error, :unknown_command}
    end
  end

  defp drop_suffix(line, suffix) do
    if String.ends_with?(line, suffix) do
      binary_part(line, 0, byte_size(line) - byte_size(suffix))
    else
      line
    end
  end

  defp single_name(arg, _tag) when arg in [nil, ""], do: {:error, :bad_args}

  defp single_name(arg, tag) do
    cond do
      String.contains?(arg, " ") -> {:error, :bad_args}
      valid_name?(arg) -> {:ok, {tag, arg}}
      true -> {:error, :invalid_name}
    end
  end

  defp message(nil), do: {:error, :bad_args}

  defp message(rest) do
    case :binary.split(rest, " ") do
      [room, text] when room != "" and text != "" ->
        if valid_name?(room), do: {:ok, {:msg, room, text}}, else: {:error, :invalid_name}

      _ ->
        {:error, :bad_args}
    end
  end

  @doc """
  Formats a server reply or event as one line, including the trailing `"\\n"`.
  """
  @spec format(reply) :: String.t()
  def format({:ok_nick, nick}), do: "OK NICK #{nick}\n"
  def format({:ok_join, room, count}), do: "OK JOIN #{room} #{count}\n"
  def format({:ok_leave, room}), do: "OK LEAVE #{room}\n"
  def format({:history, room, nick, text}), do: "HISTORY #{room} #{nick} #{text}\n"
  def format({:message, room, nick, text}), do: "MSG #{room} #{nick} #{text}\n"
  def format({:joined, room, nick}), do: "JOINED #{room} #{nick}\n"
  def format({:left, room, nick}), do: "LEFT #{room} #{nick}\n"
  def format({:who, room, []}), do: "WHO #{room}\n"
  def format({:who, room, nicks}), do: "WHO #{room} #{Enum.join(nicks, " ")}\n"
  def format({:lost, room}), do: "LOST #{room}\n"
  def format(:bye), do: "BYE\n"
  def format({:error, reason}) when is_atom(reason), do: "ERR #{reason}\n"
end
