defmodule Notifications.Event do
  @moduledoc """
  Stage 4: reading a `job.completed` event as a *tolerant reader*.

  This module is the boundary between the contract (JSON that another team's service
  produces) and this service's own model (the struct below). It checks exactly what this
  service needs and ignores the rest, so the producer can add fields without asking us.
  """

  @known_type "job.completed"
  @text_fields ["job_id", "subject", "operation", "result"]

  @enforce_keys [:event_id, :job_id, :subject, :operation, :result]
  defstruct [:event_id, :job_id, :subject, :operation, :result, event_type: @known_type, schema_version: 1]

  @type t :: %__MODULE__{
          event_id: String.t(),
          event_type: String.t(),
          schema_version: pos_integer(),
          job_id: String.t(),
          subject: String.t(),
          operation: String.t(),
          result: String.t()
        }

  @doc """
  Turns a decoded JSON value into an event. The checks, in this order (the first failure
  decides the answer):

  1. `value` must be a map (a JSON object), else `{:error, "an event must be a JSON object"}`;
  2. `"event_id"` must be a non-empty string, else `{:error, message}`;
  3. `"schema_version"` may be missing (it means 1); if present it must be exactly `1`, else
     `{:error, message}` (a version we do not know could mean anything);
  4. `"event_type"` must be a string, else `{:error, message}`; if it is not
     `"job.completed"` the answer is `{:ignore, event_type}`: a consumer skips event types it
     does not know instead of failing on them (and does not check the other fields);
  5. `"job_id"`, `"subject"`, `"operation"` and `"result"` must each be a string (they may be
     empty), checked in that order, else `{:error, message}`;
  6. `{:ok, %Notifications.Event{...}}`. Other keys (`"occurred_at"`, fields added later)
     are ignored.

  Every error message names the offending key, e.g. `"missing or invalid field: job_id"`.
  """
  @spec parse(term()) :: {:ok, t()} | {:ignore, String.t()} | {:error, String.t()}
  def parse(value) when is_map(value) do
    with {:ok, event_id} <- fetch_string(value, "event_id"),
         true <- event_id != "" || {:error, "missing or invalid field: event_id"},
         :ok <- check_schema_version(Map.get(value, "schema_version", 1)),
         {:ok, event_type} <- fetch_string(value, "event_type"),
         true <- event_type == @known_type || {:ignore, event_type},
         {:ok, [job_id, subject, operation, result]} <- fetch_all(value, @text_fields) do
      {:ok,
       %__MODULE__{
         event_id: event_id,
         job_id: job_id,
         subject: subject,
         operation: operation,
         result: result
       }}
    end
  end

  def parse(_value), do: {:error, "an event must be a JSON object"}

  defp fetch_string(map, key) do
    case Map.get(map, key) do
      text when is_binary(text) -> {:ok, text}
      _ -> {:error, "missing or invalid field: #{key}"}
    end
  end

  defp fetch_all(map, keys) do
    Enum.reduce_while(keys, {:ok, []}, fn key, {:ok, acc} ->
      case fetch_string(map, key) do
        {:ok, text} -> {:cont, {:ok, acc ++ [text]}}
        error -> {:halt, error}
      end
    end)
  end

  defp check_schema_version(1), do: :ok
  defp check_schema_version(other), do: {:error, "unsupported schema_version: #{inspect(other)}"}

  @doc """
  The text delivered to the user. Provided.

      iex> Notifications.Event.message(%Notifications.Event{event_id: "e", job_id: "job-1",
      ...>   subject: "alice", operation: "uppercase", result: "HI"})
      "Hi alice, your uppercase job job-1 finished: HI"
  """
  @spec message(t()) :: String.t()
  def message(%__MODULE__{} = event) do
    "Hi #{event.subject}, your #{event.operation} job #{event.job_id} finished: #{event.result}"
  end
end
