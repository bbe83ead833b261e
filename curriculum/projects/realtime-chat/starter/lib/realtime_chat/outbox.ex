defmodule RealtimeChat.Outbox do
  @moduledoc """
  Stage 5. A bounded FIFO of lines waiting to be written to one client. Pure
  data, no process.

  Erlang's `:queue` module is a FIFO with O(1) amortised `:queue.in/2` and
  `:queue.out/1`; `:queue.to_list/1` returns the items oldest first. Keep the
  size yourself, `:queue.len/1` walks the whole queue.
  """

  # A suggested shape; change it freely.
  @enforce_keys [:max]
  defstruct [:max, size: 0, queue: :queue.new()]

  @type t :: %__MODULE__{max: pos_integer, size: non_neg_integer, queue: :queue.queue()}

  @doc "An empty outbox that holds at most `max` lines."
  @spec new(pos_integer) :: t
  def new(_max) do
    raise "not implemented"
  end

  @doc "Appends `line`, or returns `{:error, :full}` when `max` lines are already waiting."
  @spec push(t, iodata) :: {:ok, t} | {:error, :full}
  def push(_outbox, _line) do
    raise "not implemented"
  end

  @doc "Removes every waiting line; returns them oldest first, and the now empty outbox."
  @spec take_all(t) :: {[iodata], t}
  def take_all(_outbox) do
    raise "not implemented"
  end

  @doc "How many lines are waiting."
  @spec size(t) :: non_neg_integer
  def size(_outbox) do
    raise "not implemented"
  end
end
