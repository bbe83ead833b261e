defmodule RealtimeChat.Chat do
  @moduledoc """
  One chat instance: a supervisor for a Registry and a DynamicSupervisor of
  rooms (plus, in stage 5, the history store), and the functions to find or
  start rooms.

  Every process of an instance is named after the instance (see
  `registry/1`, `room_supervisor/1`, `history_store/1`), so several instances
  can run side by side, which is what the tests do.
  """
  use Supervisor

  alias RealtimeChat.Room

  @doc "The Registry of an instance: rooms under `{:room, name}`, nicks under `{:nick, nick}`."
  def registry(chat), do: Module.concat(chat, Registry)

  @doc "The DynamicSupervisor that supervises the rooms of an instance."
  def room_supervisor(chat), do: Module.concat(chat, Rooms)

  @doc "The history store of an instance (its process and its ETS table share this name)."
  def history_store(chat), do: Module.concat(chat, History)

  @doc """
  Starts an instance. Options: `:name` (required, an atom), and for every
  room of the instance `:history_size` (default 10) and `:presence_limit`
  (default 200), see `RealtimeChat.Room.start_link/1`.

  Stage 5: add the history store *between* the Registry and the room
  supervisor and use `strategy: :rest_for_one`.
  """
  def start_link(opts) do
    name = Keyword.fetch!(opts, :name)
    Supervisor.start_link(__MODULE__, opts, name: name)
  end

  @impl true
  def init(opts) do
    chat = Keyword.fetch!(opts, :name)
    # Settings every room of this instance needs, kept where Chat.room/2 can
    # read them without a process of its own: in the Registry's metadata.
    room_opts = Keyword.take(opts, [:history_size, :presence_limit])

    children = [
      {Registry, keys: :unique, name: registry(chat), meta: [room_opts: room_opts]},
      {DynamicSupervisor, name: room_supervisor(chat), strategy: :one_for_one}
    ]

    Supervisor.init(children, strategy: :one_for_one)
  end

  @doc "The pid of the room called `name`, starting the room if it is not running."
  @spec room(atom, String.t()) :: {:ok, pid}
  def room(chat, name) do
    case lookup(chat, name) do
      {:ok, pid} ->
        {:ok, pid}

      :error ->
        {:ok, room_opts} = Registry.meta(registry(chat), :room_opts)

        spec =
          {Room,
           [room: name, name: {:via, Registry, {registry(chat), {:room, name}}}] ++
             room_opts}

        case DynamicSupervisor.start_child(room_supervisor(chat), spec) do
          {:ok, pid} -> {:ok, pid}
          # Another process started it between our lookup and our start_child.
          {:error, {:already_started, pid}} -> {:ok, pid}
        end
    end
  end

  @doc "The pid of the room called `name` if it is running; never starts it."
  @spec lookup(atom, String.t()) :: {:ok, pid} | :error
  def lookup(chat, name) do
    case Registry.lookup(registry(chat), {:room, name}) do
      [{pid, _}] -> {:ok, pid}
      [] -> :error
    end
  end

  @doc "The names of the running rooms, sorted."
  @spec rooms(atom) :: [String.t()]
  def rooms(chat) do
    registry(chat)
    |> Registry.select([{{{:room, :"$1"}, :_, :_}, [], [:"$1"]}])
    |> Enum.sort()
  end

  @doc "Joins `pid` to the room `name` (started if needed) under `nick`; see `Room.join/3`."
  @spec join(atom, String.t(), pid, String.t()) :: {:ok, list} | {:error, :already_member}
  def join(chat, name, pid, nick) do
    {:ok, room} = room(chat, name)
    Room.join(room, pid, nick)
  end

  @doc "The sorted nicks in room `name`; `[]` if it is not running (it is not started)."
  @spec who(atom, String.t()) :: [String.t()]
  def who(chat, name) do
    case lookup(chat, name) do
      {:ok, pid} -> Room.who(pid)
      :error -> []
    end
  end
end
