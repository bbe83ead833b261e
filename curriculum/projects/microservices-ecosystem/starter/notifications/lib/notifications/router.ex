defmodule Notifications.Router do
  @moduledoc """
  The HTTP face of the notification service: the same contract as the Rust services
  (`CONTRACT.md`), implemented a second time in another language. Nothing is shared but the
  contract.

  | route | answer |
  |---|---|
  | `GET /health` | `200 {"status":"ok","service":"notifications"}` |
  | `POST /v1/events` | `post_event/1` (stage 4, yours) |
  | `GET /v1/notifications` | `200 {"notifications":[...]}`, oldest first |
  | `/v2/...` and other versions | `404` `unsupported_version` |
  | anything else | `404` `not_found` |

  Every answer repeats the request's `x-correlation-id` header, if it had one.
  """
  require Logger

  # post_event/1 will also need Notifications.Event and Notifications.JSON: add them here
  # (`alias Notifications.{Event, JSON, Store}`) to write `Event.parse(...)`.
  alias Notifications.Store

  @doc "Routes one request. Provided."
  def handle(%{method: method, path: path} = request) do
    correlation_id = correlation_id(request)

    response =
      case {method, split_version(path)} do
        {"GET", {:unversioned, "/health"}} -> {200, [], %{status: "ok", service: "notifications"}}
        {"POST", {:ok, "/events"}} -> post_event(request)
        {"GET", {:ok, "/notifications"}} -> {200, [], %{notifications: Store.list()}}
        {_, {:error, :unsupported_version, message}} -> error(404, "unsupported_version", message, correlation_id)
        _ -> error(404, "not_found", "no route for #{method} #{path}", correlation_id)
      end

    case correlation_id do
      nil -> response
      id -> put_elem(response, 1, [{"x-correlation-id", id} | elem(response, 1)])
    end
  end

  @doc """
  Stage 4: `POST /v1/events`.

  1. Decode `request.body` with `JSON.decode/1`; on `{:error, reason}` answer
     `error(400, "malformed_json", message, correlation_id)`.
  2. `Event.parse/1` the result:
     * `{:error, message}` -> `error(400, "invalid_request", message, correlation_id)`;
     * `{:ignore, event_type}` -> `{202, [], %{status: "ignored", event_type: event_type}}`,
       nothing recorded;
     * `{:ok, event}` -> step 3.
  3. `Store.record(event, correlation_id)`:
     * `{:created, _}` -> `{202, [], %{status: "accepted", event_id: event.event_id}}`;
     * `{:duplicate, _}` -> `{200, [], %{status: "duplicate", event_id: event.event_id}}`.
     Both are successes: the producer must stop retrying either way.
  4. Log one line per recorded or duplicate event with `Logger.info/1`, containing
     `event_id=<id>` and `correlation_id=<id>` (`correlation_id=-` when there is none), so
     that one grep for a correlation id finds this hop too (stage 6 checks it).

  `correlation_id` is `correlation_id(request)`.
  """
  def post_event(_request) do
    raise "not implemented: stage 4: Notifications.Router.post_event/1"
  end

  @doc "The request's `x-correlation-id` header, or `nil`. Provided."
  def correlation_id(%{headers: headers}), do: Map.get(headers, "x-correlation-id")

  @doc """
  The contract's error envelope as a response. Provided.

      iex> Notifications.Router.error(400, "invalid_request", "no", "abc")
      {400, [], %{error: %{code: "invalid_request", message: "no", correlation_id: "abc"}}}
  """
  def error(status, code, message, correlation_id) do
    body = %{code: code, message: message}
    body = if correlation_id, do: Map.put(body, :correlation_id, correlation_id), else: body
    {status, [], %{error: body}}
  end

  @doc """
  The version rules of `CONTRACT.md`, as in the Rust `contract::split_version`. Provided.

      iex> Notifications.Router.split_version("/v1/events")
      {:ok, "/events"}
      iex> Notifications.Router.split_version("/v2/events")
      {:error, :unsupported_version, "API version v2 is not supported; this service speaks v1"}
      iex> Notifications.Router.split_version("/health")
      {:unversioned, "/health"}
  """
  def split_version("/" <> rest = path) do
    {segment, remainder} =
      case String.split(rest, "/", parts: 2) do
        [segment, remainder] -> {segment, "/" <> remainder}
        [segment] -> {segment, "/"}
      end

    cond do
      segment == "v1" -> {:ok, remainder}
      Regex.match?(~r/\Av[0-9]+\z/, segment) -> {:error, :unsupported_version, "API version #{segment} is not supported; this service speaks v1"}
      true -> {:unversioned, path}
    end
  end

  def split_version(path), do: {:unversioned, path}
end
