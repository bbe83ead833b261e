defmodule Notifications.RouterTest do
  # Not async: these tests use the store registered under its module name.
  use ExUnit.Case, async: false
  @moduletag :capture_log

  alias Notifications.{JSON, Router, Store}

  doctest Notifications.Router

  setup do
    start_supervised!(Store)
    :ok
  end

  defp post(body, headers \\ %{}) do
    body = if is_binary(body), do: body, else: JSON.encode(body)
    Router.handle(%{method: "POST", path: "/v1/events", query: nil, headers: headers, body: body})
  end

  defp get(path, headers \\ %{}) do
    Router.handle(%{method: "GET", path: path, query: nil, headers: headers, body: ""})
  end

  defp event(id) do
    %{
      "event_id" => id,
      "event_type" => "job.completed",
      "schema_version" => 1,
      "job_id" => "job-" <> id,
      "subject" => "bob",
      "operation" => "word_count",
      "result" => "3"
    }
  end

  describe "stage 4: POST /v1/events" do
    test "a new event is accepted with 202 and listed" do
      assert {202, _headers, %{status: "accepted", event_id: "e1"}} = post(event("e1"))
      assert {200, _, %{notifications: [notification]}} = get("/v1/notifications")
      assert notification.event_id == "e1"
      assert notification.message == "Hi bob, your word_count job job-e1 finished: 3"
    end

    test "a retried event is answered 200 duplicate and recorded once" do
      assert {202, _, %{status: "accepted"}} = post(event("e2"))
      assert {200, _, %{status: "duplicate", event_id: "e2"}} = post(event("e2"))
      assert {200, _, %{notifications: [%{event_id: "e2", received: 2}]}} = get("/v1/notifications")
    end

    test "the correlation id is stored and echoed" do
      assert {202, headers, _} = post(event("e3"), %{"x-correlation-id" => "trace-42"})
      assert {"x-correlation-id", "trace-42"} in headers
      assert {200, _, %{notifications: [%{correlation_id: "trace-42"}]}} = get("/v1/notifications")
    end

    test "a body that is not JSON is malformed_json" do
      assert {400, headers, %{error: %{code: "malformed_json", correlation_id: "c"}}} =
               post("{\"event_id\": ", %{"x-correlation-id" => "c"})

      assert {"x-correlation-id", "c"} in headers
      assert {400, _, %{error: %{code: "malformed_json"}}} = post("")
    end

    test "JSON that breaks the contract is invalid_request, and nothing is recorded" do
      assert {400, _, %{error: %{code: "invalid_request", message: message}}} =
               post(Map.delete(event("e4"), "subject"))

      assert message =~ "subject"
      assert {400, _, %{error: %{code: "invalid_request"}}} = post([1, 2, 3])
      assert {400, _, %{error: %{code: "invalid_request"}}} = post(Map.put(event("e5"), "schema_version", 2))
      assert {200, _, %{notifications: []}} = get("/v1/notifications")
    end

    test "unknown event types are acknowledged as ignored" do
      assert {202, _, %{status: "ignored", event_type: "job.started"}} =
               post(Map.put(event("e6"), "event_type", "job.started"))

      assert {200, _, %{notifications: []}} = get("/v1/notifications")
    end
  end

  describe "routing (provided)" do
    test "health, versions and unknown routes" do
      assert {200, _, %{status: "ok"}} = get("/health")
      assert {404, _, %{error: %{code: "unsupported_version"}}} = get("/v2/notifications")
      assert {404, _, %{error: %{code: "not_found"}}} = get("/v1/nothing")
      assert {404, _, %{error: %{code: "not_found"}}} = get("/notifications")
    end
  end
end
