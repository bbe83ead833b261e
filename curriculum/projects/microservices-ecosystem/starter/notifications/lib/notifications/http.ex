defmodule Notifications.HTTP do
  @moduledoc """
  A deliberately small HTTP/1.1 server on `:gen_tcp`. **Provided: nothing to do here.**

  What it supports is what the contract needs and no more:

  * one request per connection: every answer carries `connection: close` and the socket is
    closed after it (the Rust services' client opens a new connection per request anyway);
  * request bodies need a `content-length` header (no chunked encoding), at most 1 MB;
  * header names reach the handler in lower case: `%{"x-correlation-id" => "abc"}`.

  Parsing the request line and headers is done by the Erlang runtime itself: a socket in
  `packet: :http_bin` mode delivers `{:http_request, ...}`, then one `{:http_header, ...}`
  per header, then `:http_eoh`. For the body we switch the socket to `packet: :raw`.

  The handler gets a map `%{method: "POST", path: "/v1/events", query: "a=1" | nil,
  headers: %{...}, body: binary}` and returns `{status, headers, body}`, where `headers` is a
  list of `{name, value}` and `body` is a binary or any term `Notifications.JSON` can encode.
  If the handler raises or exits, the client gets a `500` in the contract's error envelope
  with the exception's message (so a `raise "not implemented"` shows up in the test that made
  the request).
  """
  require Logger

  @max_body 1_000_000
  @max_headers 100
  @recv_timeout 5_000

  @doc false
  def child_spec(opts) do
    %{id: __MODULE__, start: {__MODULE__, :start_link, [opts]}}
  end

  @doc """
  Listens on 127.0.0.1 and serves `handler`. Options: `port:` (0 for any free port),
  `handler:` (a one-argument function), `announce:` (default `true`: print the
  `notifications listening on 127.0.0.1:<port>` line). Returns `{:ok, pid, port}`.
  """
  def start_link(opts) do
    port = Keyword.fetch!(opts, :port)
    handler = Keyword.fetch!(opts, :handler)
    options = [:binary, packet: :http_bin, active: false, reuseaddr: true, ip: {127, 0, 0, 1}, backlog: 128]

    case :gen_tcp.listen(port, options) do
      {:ok, listen} ->
        {:ok, actual_port} = :inet.port(listen)
        pid = spawn_link(fn -> receive do: (:go -> accept_loop(listen, handler)) end)
        :ok = :gen_tcp.controlling_process(listen, pid)
        send(pid, :go)

        if Keyword.get(opts, :announce, true) do
          IO.puts("notifications listening on 127.0.0.1:#{actual_port}")
        end

        {:ok, pid, actual_port}

      {:error, reason} ->
        {:error, {:listen_failed, port, reason}}
    end
  end

  defp accept_loop(listen, handler) do
    case :gen_tcp.accept(listen) do
      {:ok, socket} ->
        pid = spawn(fn -> receive do: (:go -> serve(socket, handler)) end)
        # The connection process must own the socket before it uses it.
        case :gen_tcp.controlling_process(socket, pid) do
          :ok -> send(pid, :go)
          {:error, _} -> :gen_tcp.close(socket)
        end

        accept_loop(listen, handler)

      {:error, reason} ->
        exit({:accept_failed, reason})
    end
  end

  defp serve(socket, handler) do
    case read_request(socket) do
      {:ok, request} ->
        :gen_tcp.send(socket, encode_response(run_handler(handler, request)))

      {:error, :closed} ->
        :ok

      {:error, reason} ->
        body = %{error: %{code: "invalid_request", message: "bad HTTP request: #{inspect(reason)}"}}
        :gen_tcp.send(socket, encode_response({400, [], body}))
    end

    :gen_tcp.close(socket)
  end

  defp read_request(socket) do
    case :gen_tcp.recv(socket, 0, @recv_timeout) do
      {:ok, {:http_request, method, {:abs_path, target}, _version}} ->
        with {:ok, headers} <- read_headers(socket, %{}, 0),
             {:ok, body} <- read_body(socket, headers) do
          {path, query} =
            case String.split(target, "?", parts: 2) do
              [path, query] -> {path, query}
              [path] -> {path, nil}
            end

          {:ok, %{method: to_string(method), path: path, query: query, headers: headers, body: body}}
        end

      {:ok, other} ->
        {:error, {:unexpected, other}}

      {:error, reason} ->
        {:error, reason}
    end
  end

  defp read_headers(_socket, _headers, count) when count > @max_headers, do: {:error, :too_many_headers}

  defp read_headers(socket, headers, count) do
    case :gen_tcp.recv(socket, 0, @recv_timeout) do
      {:ok, {:http_header, _, _field, name, value}} ->
        read_headers(socket, Map.put(headers, String.downcase(to_string(name)), value), count + 1)

      {:ok, :http_eoh} ->
        {:ok, headers}

      {:ok, other} ->
        {:error, {:unexpected, other}}

      {:error, reason} ->
        {:error, reason}
    end
  end

  defp read_body(socket, headers) do
    case Integer.parse(Map.get(headers, "content-length", "0")) do
      {0, ""} ->
        {:ok, ""}

      {length, ""} when length > 0 and length <= @max_body ->
        :ok = :inet.setopts(socket, packet: :raw)
        :gen_tcp.recv(socket, length, @recv_timeout)

      _ ->
        {:error, :bad_content_length}
    end
  end

  defp run_handler(handler, request) do
    case handler.(request) do
      {status, headers, body} when is_integer(status) and is_list(headers) ->
        {status, headers, body}

      other ->
        internal_error("handler returned #{inspect(other)} instead of {status, headers, body}")
    end
  rescue
    exception ->
      Logger.error(Exception.format(:error, exception, __STACKTRACE__))
      internal_error(Exception.message(exception))
  catch
    :exit, reason ->
      Logger.error("handler exited: #{inspect(reason)}")
      internal_error("handler exited: #{inspect(reason)}")
  end

  defp internal_error(message) do
    {500, [], %{error: %{code: "internal", message: message}}}
  end

  defp encode_response({status, headers, body}) do
    payload = if is_binary(body), do: body, else: Notifications.JSON.encode(body)

    [
      "HTTP/1.1 #{status} #{reason(status)}\r\n",
      "content-type: application/json\r\n",
      "content-length: #{IO.iodata_length(payload)}\r\n",
      "connection: close\r\n",
      Enum.map(headers, fn {name, value} -> [name, ": ", value, "\r\n"] end),
      "\r\n",
      payload
    ]
  end

  defp reason(200), do: "OK"
  defp reason(201), do: "Created"
  defp reason(202), do: "Accepted"
  defp reason(400), do: "Bad Request"
  defp reason(404), do: "Not Found"
  defp reason(500), do: "Internal Server Error"
  defp reason(503), do: "Service Unavailable"
  defp reason(_), do: "Status"
end
