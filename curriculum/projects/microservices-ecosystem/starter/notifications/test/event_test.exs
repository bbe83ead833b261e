defmodule Notifications.EventTest do
  use ExUnit.Case, async: true

  alias Notifications.Event

  doctest Notifications.Event

  defp valid(overrides \\ %{}) do
    Map.merge(
      %{
        "event_id" => "evt-1",
        "event_type" => "job.completed",
        "schema_version" => 1,
        "job_id" => "job-1",
        "subject" => "alice",
        "operation" => "uppercase",
        "result" => "HELLO",
        "occurred_at" => 1_700_000_000
      },
      overrides
    )
  end

  describe "stage 4: Event.parse/1" do
    test "a complete event becomes a struct" do
      assert {:ok, %Event{} = event} = Event.parse(valid())
      assert event.event_id == "evt-1"
      assert event.job_id == "job-1"
      assert event.subject == "alice"
      assert event.operation == "uppercase"
      assert event.result == "HELLO"
    end

    test "unknown fields are ignored (tolerant reader)" do
      assert {:ok, %Event{event_id: "evt-1"}} =
               Event.parse(valid(%{"priority" => "high", "tags" => ["a"], "meta" => %{"x" => 1}}))
    end

    test "a missing schema_version means version 1; another version is refused" do
      assert {:ok, _} = Event.parse(Map.delete(valid(), "schema_version"))
      assert {:error, message} = Event.parse(valid(%{"schema_version" => 2}))
      assert message =~ "schema_version"
    end

    test "event types this service does not know are ignored, not rejected" do
      assert {:ignore, "job.started"} = Event.parse(valid(%{"event_type" => "job.started"}))
      # The other fields of an ignored type are not checked.
      assert {:ignore, "user.deleted"} = Event.parse(%{"event_id" => "e", "event_type" => "user.deleted"})
    end

    test "missing or mistyped required fields are errors that name the field" do
      for field <- ["job_id", "subject", "operation", "result"] do
        assert {:error, message} = Event.parse(Map.delete(valid(), field))
        assert message =~ field
        assert {:error, message} = Event.parse(valid(%{field => 42}))
        assert message =~ field
      end
    end

    test "event_id must be a non-empty string and is checked first" do
      assert {:error, message} = Event.parse(Map.delete(valid(), "event_id"))
      assert message =~ "event_id"
      assert {:error, message} = Event.parse(valid(%{"event_id" => ""}))
      assert message =~ "event_id"
      assert {:error, message} = Event.parse(valid(%{"event_id" => 7}))
      assert message =~ "event_id"
      # Checked before the schema version and the type.
      assert {:error, message} = Event.parse(%{"schema_version" => 9, "event_type" => 1})
      assert message =~ "event_id"
    end

    test "event_type must be a string" do
      assert {:error, message} = Event.parse(valid(%{"event_type" => nil}))
      assert message =~ "event_type"
    end

    test "anything but an object is an error, and so is an empty object" do
      assert {:error, _} = Event.parse([1, 2])
      assert {:error, _} = Event.parse("evt-1")
      assert {:error, _} = Event.parse(nil)
      assert {:error, message} = Event.parse(%{})
      assert message =~ "event_id"
    end
  end
end
