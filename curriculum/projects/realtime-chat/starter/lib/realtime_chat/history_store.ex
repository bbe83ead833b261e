defmodule RealtimeChat.HistoryStore do
  @moduledoc """
  Stage 5. Keeps every room's recent history in an ETS table owned by this
  process, so the history survives a crash of the room that wrote it.

  The process does nothing but own the table: with no logic in it, it has no
  reason to crash. (An ETS table is deleted when the process that created it
  exits; that is the whole reason this process exists.)

  ETS in brief: `:ets.new(name, [:set, :public, :named_table, read_concurrency: true])`
  creates a table that any process can read and write by `name`;
  `:ets.insert(table, {key, value})` replaces the row with that key;
  `:ets.lookup(table, key)` returns `[{key, value}]` or `[]`.
  """
  use GenServer

  @doc """
  Starts the store linked to the caller. `:name` (required, an atom) names both
  the process and its ETS table, so rooms can use the table by that name.
  """
  def start_link(_opts) do
    raise "not implemented"
  end

  @doc """
  Stores `entries` as the history of `room`, replacing what was there. Called
  by rooms, in the room's process, so the table must be `:public`. The store
  does not interpret `entries`: a room gets back exactly what it put.
  """
  @spec put(atom | :ets.tid(), String.t(), list) :: :ok
  def put(_table, _room, _entries) do
    raise "not implemented"
  end

  @doc "The entries last stored for `room`, or `[]` when there are none."
  @spec get(atom | :ets.tid(), String.t()) :: list
  def get(_table, _room) do
    raise "not implemented"
  end

  @impl true
  def init(_name) do
    raise "not implemented"
  end
end
