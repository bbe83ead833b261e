defmodule Notifications.Application do
  @moduledoc """
  Starts the service: the store (stage 4, yours) and the HTTP listener (provided).

  Environment variables:

  * `NOTIFICATIONS_PORT`: the port to listen on, on 127.0.0.1 only. `0` (the default) asks
    the OS for any free port. Either way the listener prints
    `notifications listening on 127.0.0.1:<port>` once it accepts connections; the Rust test
    harness waits for that line.
  * `NOTIFICATIONS_STOP_ON_EOF=1`: halt when standard input closes. The test harness keeps
    a pipe to our stdin open and never writes to it; when the test process ends, however it
    ends, the pipe closes and this service stops instead of lingering.
  """
  use Application

  @impl true
  def start(_type, _args) do
    port = parse_port(System.get_env("NOTIFICATIONS_PORT", "0"))

    children = [
      Notifications.Store,
      {Notifications.HTTP, port: port, handler: &Notifications.Router.handle/1}
    ]

    if System.get_env("NOTIFICATIONS_STOP_ON_EOF") == "1", do: watch_stdin()

    Supervisor.start_link(children, strategy: :one_for_one, name: Notifications.Supervisor)
  end

  defp parse_port(text) do
    case Integer.parse(text) do
      {port, ""} when port in 0..65535 -> port
      _ -> raise ArgumentError, "NOTIFICATIONS_PORT must be a port number, got: #{inspect(text)}"
    end
  end

  defp watch_stdin do
    spawn(fn ->
      wait_for_eof()
      System.halt(0)
    end)
  end

  defp wait_for_eof do
    case IO.read(:stdio, :line) do
      :eof -> :ok
      {:error, _} -> :ok
      _line -> wait_for_eof()
    end
  end
end
