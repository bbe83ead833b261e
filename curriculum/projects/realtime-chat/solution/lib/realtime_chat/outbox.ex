defmodule RealtimeChat.Outbox do
  @moduledoc """
  A bounded FIFO of lines waiting to be written to one client. Pure data.
  """

  @enforce_keys [:max]
  defstruct [:max, size: 0, queue: :queue.new()]

  @type t :: %__MODULE__{max: pos_integer, size: non_neg_integer, queue: :queue.queue()}

  @doc "An empty outbox that holds at most `max` lines."
  @spec new(pos_integer) :: t
  def new(max) when is_integer(max) and max > 0, do: %__MODULE__{max: max}

  @doc "Appends `line`, or returns `{:error, :full}` when `max` lines are already waiting."
  @spec push(t, iodata) :: {:ok, t} | {:error, :full}
  def push(%__MODULE__{size: size, max: max}, _line) when size >= max, do: {:error, :full}

  def push(%__MODULE__{} = outbox, line) do
    {:ok, %{outbox | size: outbox.size + 1, queue: :queue.in(line, outbox.queue)}}
  end

  @doc "Removes every waiting line; returns them oldest first and the empty outbox."
  @spec take_all(t) :: {[iodata], t}
  def take_all(%__MODULE__{} = outbox) do
    {:queue.to_list(outbox.queue), %{outbox | size: 0, queue: :queue.new()}}
  end

  @doc "How many lines are waiting."
  @spec size(t) :: non_neg_integer
  def size(%__MODULE__{size: size}), do: size
end
