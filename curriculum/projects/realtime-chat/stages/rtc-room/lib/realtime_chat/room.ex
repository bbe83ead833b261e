defmodule RealtimeChat.Room do
  @moduledoc """
  One chat room: a GenServer that owns the room's members and recent history.

  Members are processes (a TCP connection in production, any process in
  tests). The room monitors each member, so a member that dies leaves the
  room automatically. Events are delivered to members as plain messages:

      {:chat, room_name, {:joined, nick}}
      {:chat, room_name, {:left, nick}}
      {:chat, room_name, {:message, nick, text}}
  """
  use GenServer

  @default_history_size 10
  @default_presence_limit 200

  @type entry :: {nick :: String.t(), text :: String.t()}

  defstruct [:room, :history_size, :history_table, :presence_limit, members: %{}, history: []]

  @doc """
  Starts a room linked to the caller.

  Options:
    * `:room` (required) - the room's name, a string
    * `:name` - how to register the process (any GenServer name, e.g. a `:via` tuple)
    * `:history_size` - how many messages to keep (default #{@default_history_size})
    * `:history_table` - stage 5: a `RealtimeChat.HistoryStore` table. When
      given, load the history from it in `init/1` with
      `RealtimeChat.HistoryStore.get/2`, and store it with
      `RealtimeChat.HistoryStore.put/3` on every `say/3`, before broadcasting.
      When `nil` (the default) history lives only in the room's state.
    * `:presence_limit` - join and leave notices are only sent while the room
      has at most this many members, counting the one joining or leaving
      (default #{@default_presence_limit})
  """
  def start_link(opts) do
    {gen_opts, opts} = Keyword.split(opts, [:name])
    GenServer.start_link(__MODULE__, opts, gen_opts)
  end

  @doc """
  Adds `pid` to the room under `nick`. Every other member receives
  `{:joined, nick}` (unless the room is above its presence limit); the joiner
  does not. Returns the last messages, oldest first.
  """
  @spec join(GenServer.server(), pid, String.t()) ::
          {:ok, [entry]} | {:error, :already_member}
  def join(room, pid, nick), do: GenServer.call(room, {:join, pid, nick})

  @doc """
  Removes `pid`. Every remaining member receives `{:left, nick}` (unless the
  room was above its presence limit).
  """
  @spec leave(GenServer.server(), pid) :: :ok | {:error, :not_member}
  def leave(room, pid), do: GenServer.call(room, {:leave, pid})

  @doc """
  Posts `text` as the member `pid`: recorded in history, then delivered as
  `{:message, nick, text}` to every member, the sender included.
  """
  @spec say(GenServer.server(), pid, String.t()) :: :ok | {:error, :not_member}
  def say(room, pid, text), do: GenServer.call(room, {:say, pid, text})

  @doc "The members' nicks, sorted."
  @spec who(GenServer.server()) :: [String.t()]
  def who(room), do: GenServer.call(room, :who)

  @doc "The last messages, oldest first."
  @spec history(GenServer.server()) :: [entry]
  def history(room), do: GenServer.call(room, :history)

  @impl true
  def init(opts) do
    {:ok,
     %__MODULE__{
       room: Keyword.fetch!(opts, :room),
       history_size: Keyword.get(opts, :history_size, @default_history_size),
       presence_limit: Keyword.get(opts, :presence_limit, @default_presence_limit)
     }}
  end

  @impl true
  def handle_call({:join, pid, nick}, _from, state) do
    if Map.has_key?(state.members, pid) do
      {:reply, {:error, :already_member}, state}
    else
      if map_size(state.members) + 1 <= state.presence_limit do
        broadcast(state, {:joined, nick})
      end

      ref = Process.monitor(pid)
      members = Map.put(state.members, pid, {nick, ref})
      {:reply, {:ok, Enum.reverse(state.history)}, %{state | members: members}}
    end
  end

  def handle_call({:leave, pid}, _from, state) do
    case Map.pop(state.members, pid) do
      {nil, _} ->
        {:reply, {:error, :not_member}, state}

      {{nick, ref}, members} ->
        Process.demonitor(ref, [:flush])
        {:reply, :ok, remove_member(state, members, nick)}
    end
  end

  def handle_call({:say, pid, text}, _from, state) do
    case Map.fetch(state.members, pid) do
      :error ->
        {:reply, {:error, :not_member}, state}

      {:ok, {nick, _ref}} ->
        # History is stored newest first; callers get it oldest first.
        history = Enum.take([{nick, text} | state.history], state.history_size)
        state = %{state | history: history}
        broadcast(state, {:message, nick, text})
        {:reply, :ok, state}
    end
  end

  def handle_call(:who, _from, state) do
    nicks = for {_pid, {nick, _ref}} <- state.members, do: nick
    {:reply, Enum.sort(nicks), state}
  end

  def handle_call(:history, _from, state) do
    {:reply, Enum.reverse(state.history), state}
  end

  @impl true
  def handle_info({:DOWN, ref, :process, pid, _reason}, state) do
    case Map.pop(state.members, pid) do
      {{nick, ^ref}, members} ->
        {:noreply, remove_member(state, members, nick)}

      _ ->
        {:noreply, state}
    end
  end

  # A join or leave notice costs one message per member; in a big room a join
  # storm would cost members x joins messages, so big rooms stay quiet.
  defp remove_member(state, members, nick) do
    notify? = map_size(state.members) <= state.presence_limit
    state = %{state | members: members}
    if notify?, do: broadcast(state, {:left, nick})
    state
  end

  # Plain `send/2` never blocks: a member that does not read its mailbox
  # cannot slow the room down.
  defp broadcast(state, event) do
    for {pid, _} <- state.members, do: send(pid, {:chat, state.room, event})
    :ok
  end
end
