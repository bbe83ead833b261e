defmodule Notifications.StoreTest do
  use ExUnit.Case, async: true

  alias Notifications.{Event, Store}

  defp event(id, result \\ "HELLO") do
    %Event{event_id: id, job_id: "job-" <> id, subject: "alice", operation: "uppercase", result: result}
  end

  describe "stage 4: Store.apply_event/3 and Store.notifications/1" do
    test "a new event id creates a notification" do
      {{:created, notification}, state} = Store.apply_event(Store.new(), event("a"), "cid-1")

      assert notification == %{
               event_id: "a",
               job_id: "job-a",
               subject: "alice",
               message: "Hi alice, your uppercase job job-a finished: HELLO",
               correlation_id: "cid-1",
               received: 1
             }

      assert Store.notifications(state) == [notification]
    end

    test "the same event id again is a duplicate: nothing new, only the counter moves" do
      {{:created, _}, state} = Store.apply_event(Store.new(), event("a"), "cid-1")
      {{:duplicate, again}, state} = Store.apply_event(state, event("a"), "cid-1")
      assert again.received == 2
      {{:duplicate, third}, state} = Store.apply_event(state, event("a"), "cid-1")
      assert third.received == 3
      assert [%{event_id: "a", received: 3}] = Store.notifications(state)
    end

    test "the first version wins when a duplicate differs" do
      {{:created, _}, state} = Store.apply_event(Store.new(), event("a", "FIRST"), "cid-1")
      {{:duplicate, kept}, state} = Store.apply_event(state, event("a", "SECOND"), "cid-2")
      assert kept.message =~ "FIRST"
      assert kept.correlation_id == "cid-1"
      assert [%{message: message, correlation_id: "cid-1"}] = Store.notifications(state)
      assert message =~ "FIRST"
    end

    test "notifications come back oldest first; a missing correlation id is nil" do
      state =
        Enum.reduce(["c", "a", "b", "a"], Store.new(), fn id, state ->
          {_reply, state} = Store.apply_event(state, event(id), nil)
          state
        end)

      assert Enum.map(Store.notifications(state), & &1.event_id) == ["c", "a", "b"]
      assert Enum.all?(Store.notifications(state), &(&1.correlation_id == nil))
    end

    test "an empty store lists nothing" do
      assert Store.notifications(Store.new()) == []
    end
  end

  describe "stage 4: the Store process" do
    test "record/3 and list/1 go through the GenServer" do
      store = start_supervised!({Store, name: :store_process_test})
      assert {:created, _} = Store.record(store, event("x"), "cid")
      assert {:duplicate, %{received: 2}} = Store.record(store, event("x"), "cid")
      assert [%{event_id: "x", received: 2}] = Store.list(store)
    end
  end
end
