defmodule RealtimeChat.Room do
  @moduledoc """
  Stage 2 (and a little of stage 5). One chat room: a GenServer that owns the
  room's members and its recent history.

  Members are processes: a TCP connection in production, any process in
  tests. Members are told about events with plain messages, never with calls:

      {:chat, room_name, {:joined, nick}}
      {:chat, room_name, {:left, nick}}
      {:chat, room_name, {:message, nick, text}}

  How a GenServer works, in brief: `start_link/1` calls
  `GenServer.start_link(__MODULE__, arg, gen_opts)`, which spawns a process and
  runs `init(arg)` in it; `init/1` returns `{:ok, state}`. The public
  functions below run in the *caller* and send a request with
  `GenServer.call(room, request)`; the room process handles it in
  `handle_call(request, from, state)` and returns
  `{:reply, reply, new_state}`. Any other message (for example a `:DOWN` from
  a monitor) arrives in `handle_info(message, state)`, which returns
  `{:noreply, new_state}`. The shape of `request` is up to you.

  Useful here: `Process.monitor(pid)` returns a reference, and when `pid`
  exits you receive `{:DOWN, ref, :process, pid, reason}`;
  `Process.demonitor(ref, [:flush])` cancels it and drops a `:DOWN` that may
  already be waiting. `send(pid, message)` never blocks. `Map.pop/2`,
  `Map.fetch/2` and `map_size/1` cover the member map.
  """
  use GenServer

  @type entry :: {nick :: String.t(), text :: String.t()}

  # A suggested state; change it freely.
  #   members: %{pid => {nick, monitor_ref}}
  #   history: newest first, at most history_size entries
  defstruct [:room, :history_size, :history_table, :presence_limit, members: %{}, history: []]

  @doc """
  Starts a room linked to the caller.

  Options:
    * `:room` (required) - the room's name, a string
    * `:name` - how to register the process; pass it on to
      `GenServer.start_link/3` as its `:name` option (stage 3 gives a `:via` tuple)
    * `:history_size` - how many messages to keep (default 10)
    * `:presence_limit` - join and leave notices are only sent while the room
      has at most this many members, counting the one joining or leaving
      (default 200)
    * `:history_table` - stage 5: a `RealtimeChat.HistoryStore` table. When
      given, load the history from it in `init/1` with
      `RealtimeChat.HistoryStore.get/2`, and store it with
      `RealtimeChat.HistoryStore.put/3` on every `say/3`, before broadcasting.
      When `nil` (the default) history lives only in the room's state.

  Tip: `Keyword.split(opts, [:name])` separates the GenServer options from yours.
  """
  def start_link(_opts) do
    raise "not implemented"
  end

  @doc """
  Adds `pid` to the room under `nick` and monitors it. Every *other* member
  receives `{:joined, nick}` if the room, counting the joiner, has at most
  `presence_limit` members. Returns the last messages, oldest first, or
  `{:error, :already_member}` if `pid` is already in the room.
  """
  @spec join(GenServer.server(), pid, String.t()) ::
          {:ok, [entry]} | {:error, :already_member}
  def join(_room, _pid, _nick) do
    raise "not implemented"
  end

  @doc """
  Removes `pid`. Every remaining member receives `{:left, nick}` if the room,
  counting the leaver, had at most `presence_limit` members.
  """
  @spec leave(GenServer.server(), pid) :: :ok | {:error, :not_member}
  def leave(_room, _pid) do
    raise "not implemented"
  end

  @doc """
  Posts `text` as the member `pid`: it goes into the history (keeping the last
  `history_size`), then every member, the sender included, receives
  `{:message, nick, text}`.
  """
  @spec say(GenServer.server(), pid, String.t()) :: :ok | {:error, :not_member}
  def say(_room, _pid, _text) do
    raise "not implemented"
  end

  @doc "The members' nicks, sorted."
  @spec who(GenServer.server()) :: [String.t()]
  def who(_room) do
    raise "not implemented"
  end

  @doc "The last messages, oldest first."
  @spec history(GenServer.server()) :: [entry]
  def history(_room) do
    raise "not implemented"
  end

  @impl true
  def init(_opts) do
    raise "not implemented"
  end

  # Also needed: handle_call/3 for your requests, and handle_info/2 for the
  # {:DOWN, ref, :process, pid, reason} message of a member that exited (it
  # leaves the room, and the others are told as for leave/2).
end
