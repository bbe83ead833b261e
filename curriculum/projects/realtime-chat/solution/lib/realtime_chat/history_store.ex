defmodule RealtimeChat.HistoryStore do
  @moduledoc """
  Keeps every room's recent history in an ETS table owned by this process, so
  the history survives a crash of the room that wrote it.

  The process does nothing but own the table: with no logic in it, it has no
  reason to crash. The table is named after the process (`:name`), is
  `:public` so each room writes its own key directly (no message round trip
  through this process), and is readable concurrently.
  """
  use GenServer

  @doc """
  Starts the store linked to the caller. `:name` (required, an atom) names both
  the process and its ETS table.
  """
  def start_link(opts) do
    name = Keyword.fetch!(opts, :name)
    GenServer.start_link(__MODULE__, name, name: name)
  end

  @doc "Stores `entries` as the history of `room`, replacing what was there."
  @spec put(atom | :ets.tid(), String.t(), list) :: :ok
  def put(table, room, entries) do
    true = :ets.insert(table, {room, entries})
    :ok
  end

  @doc "The entries last stored for `room`, or `[]` when there are none."
  @spec get(atom | :ets.tid(), String.t()) :: list
  def get(table, room) do
    case :ets.lookup(table, room) do
      [{^room, entries}] -> entries
      [] -> []
    end
  end

  @impl true
  def init(name) do
    table = :ets.new(name, [:set, :public, :named_table, read_concurrency: true])
    {:ok, table}
  end
end
