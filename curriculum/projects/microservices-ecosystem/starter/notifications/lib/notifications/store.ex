defmodule Notifications.Store do
  @moduledoc """
  Stage 4: the record of notifications, idempotent by event id.

  The producer retries: when its request times out or the answer is lost, it cannot know
  whether we recorded the event, so it sends the same event (same `event_id`) again. Delivery
  is therefore *at least once*, and this store turns it into *effectively once*: the first
  event with a given id creates a notification; every later one with that id changes
  nothing except the `received` counter.

  The process part (a GenServer, so that concurrent requests are applied one at a time) is
  provided. Your part is the two pure functions `apply_event/3` and `notifications/1`: they
  take the state and return the result, so the tests can check them without processes.

  The state is in memory only: a restart forgets which ids it has seen (see the brief's
  reflection prompts).
  """
  use GenServer

  alias Notifications.Event

  @typedoc """
  `by_id` maps an event id to its notification; `order` lists the event ids, newest first
  (prepending to a list is cheap, appending is not).
  """
  @type state :: %{by_id: %{String.t() => notification()}, order: [String.t()]}

  @typedoc "What the service records and lists for each distinct event."
  @type notification :: %{
          event_id: String.t(),
          job_id: String.t(),
          subject: String.t(),
          message: String.t(),
          correlation_id: String.t() | nil,
          received: pos_integer()
        }

  # --- the process (provided) ------------------------------------------------------------

  def start_link(opts \\ []) do
    GenServer.start_link(__MODULE__, :ok, name: Keyword.get(opts, :name, __MODULE__))
  end

  @doc "Records `event`; `{:created, notification}` or `{:duplicate, notification}`."
  def record(server \\ __MODULE__, %Event{} = event, correlation_id) do
    GenServer.call(server, {:record, event, correlation_id})
  end

  @doc "All notifications, oldest first."
  def list(server \\ __MODULE__), do: GenServer.call(server, :list)

  @doc "An empty state."
  @spec new() :: state()
  def new, do: %{by_id: %{}, order: []}

  @impl true
  def init(:ok), do: {:ok, new()}

  @impl true
  def handle_call({:record, event, correlation_id}, _from, state) do
    {reply, state} = apply_event(state, event, correlation_id)
    {:reply, reply, state}
  end

  def handle_call(:list, _from, state), do: {:reply, notifications(state), state}

  # --- the logic (yours) -----------------------------------------------------------------

  @doc """
  Applies one event to the state and returns `{reply, new_state}`.

  * An `event_id` not seen before: build the notification
    `%{event_id:, job_id:, subject:, message: Event.message(event), correlation_id:, received: 1}`,
    store it, add the id to `order`, reply `{:created, notification}`.
  * An `event_id` already stored: keep the stored notification as it is (the first version
    wins, even if this copy has a different result or correlation id) except `received`,
    which goes up by one; reply `{:duplicate, updated_notification}`. `order` is unchanged.
  """
  @spec apply_event(state(), Event.t(), String.t() | nil) ::
          {{:created | :duplicate, notification()}, state()}
  def apply_event(_state, %Event{} = _event, _correlation_id) do
    raise "not implemented: stage 4: Notifications.Store.apply_event/3"
  end

  @doc "The notifications in the order their events first arrived, oldest first."
  @spec notifications(state()) :: [notification()]
  def notifications(_state) do
    raise "not implemented: stage 4: Notifications.Store.notifications/1"
  end
end
