defmodule RealtimeChat.Chat do
  @moduledoc """
  Stage 3 (and stage 5). One chat instance: a supervisor for a Registry and a
  DynamicSupervisor of rooms (plus, in stage 5, the history store), and the
  functions to find or start rooms.

  Every process of an instance is named after the instance with the three
  functions below (already written), so several instances can run side by
  side, which is what the tests do.

  A module-based supervisor: `start_link/1` calls
  `Supervisor.start_link(__MODULE__, opts, name: name)`, which runs `init/1`;
  `init/1` returns `Supervisor.init(children, strategy: ...)`. Children are
  child specs such as:

      {Registry, keys: :unique, name: registry(chat)}
      {DynamicSupervisor, name: room_supervisor(chat), strategy: :one_for_one}
      {RealtimeChat.HistoryStore, name: history_store(chat)}     # stage 5

  A `:via` name lets any process register through a Registry:
  `{:via, Registry, {registry(chat), {:room, "lobby"}}}` given as a
  GenServer's `:name` registers it under the key `{:room, "lobby"}`, and
  `Registry.lookup(registry(chat), {:room, "lobby"})` returns
  `[{pid, value}]` or `[]`.
  """
  use Supervisor

  @doc "The Registry of an instance: rooms under `{:room, name}`, nicks under `{:nick, nick}`."
  def registry(chat), do: Module.concat(chat, Registry)

  @doc "The DynamicSupervisor that supervises the rooms of an instance."
  def room_supervisor(chat), do: Module.concat(chat, Rooms)

  @doc "The history store of an instance (its process and its ETS table share this name)."
  def history_store(chat), do: Module.concat(chat, History)

  @doc """
  Starts an instance, registered as `:name`. Options:
    * `:name` (required, an atom)
    * `:history_size` and `:presence_limit` - given to every room of the
      instance (see `RealtimeChat.Room.start_link/1`; leave them out to get
      the room's defaults)

  Rooms are started later, by `room/2`, and need these settings then. One
  place to keep them: the Registry's `:meta` option
  (`{Registry, keys: :unique, name: ..., meta: [room_opts: ...]}`), read back
  with `Registry.meta(registry(chat), :room_opts)`.

  Stage 5: add the history store *between* the Registry and the room
  supervisor and use `strategy: :rest_for_one`.
  """
  def start_link(_opts) do
    raise "not implemented"
  end

  @impl true
  def init(_opts) do
    raise "not implemented"
  end

  @doc """
  The pid of the room called `name`, starting it under `room_supervisor(chat)`
  (registered as `{:room, name}`) if it is not running. When two processes
  race to start the same room, both must get the same pid:
  `DynamicSupervisor.start_child/2` returns `{:error, {:already_started, pid}}`
  to the loser.
  """
  @spec room(atom, String.t()) :: {:ok, pid}
  def room(_chat, _name) do
    raise "not implemented"
  end

  @doc "The pid of the room called `name` if it is running; never starts it."
  @spec lookup(atom, String.t()) :: {:ok, pid} | :error
  def lookup(_chat, _name) do
    raise "not implemented"
  end

  @doc """
  The names of the running rooms, sorted. `Registry.select/2` with the match
  spec `[{{{:room, :"$1"}, :_, :_}, [], [:"$1"]}]` returns the `name` of every
  key `{:room, name}`.
  """
  @spec rooms(atom) :: [String.t()]
  def rooms(_chat) do
    raise "not implemented"
  end

  @doc "Joins `pid` to the room `name` (started if needed) under `nick`; see `RealtimeChat.Room.join/3`."
  @spec join(atom, String.t(), pid, String.t()) :: {:ok, list} | {:error, :already_member}
  def join(_chat, _name, _pid, _nick) do
    raise "not implemented"
  end

  @doc "The sorted nicks in room `name`; `[]` if it is not running (it is not started)."
  @spec who(atom, String.t()) :: [String.t()]
  def who(_chat, _name) do
    raise "not implemented"
  end
end
