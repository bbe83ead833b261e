defmodule Notifications.HTTPTest do
  use ExUnit.Case, async: true
  @moduletag :capture_log

  defp request(port, raw) do
    {:ok, socket} = :gen_tcp.connect({127, 0, 0, 1}, port, [:binary, active: false])
    :ok = :gen_tcp.send(socket, raw)
    answer = read_all(socket, "")
    :gen_tcp.close(socket)
    answer
  end

  defp read_all(socket, acc) do
    case :gen_tcp.recv(socket, 0, 5_000) do
      {:ok, data} -> read_all(socket, acc <> data)
      {:error, :closed} -> acc
    end
  end

  describe "HTTP (provided)" do
    test "passes method, path, query, lower-case headers and body to the handler" do
      handler = fn request -> {201, [{"x-seen", "yes"}], Map.delete(request, :headers) |> Map.put(:id, request.headers["x-correlation-id"])} end
      {:ok, _pid, port} = Notifications.HTTP.start_link(port: 0, handler: handler, announce: false)

      answer = request(port, "POST /v1/x?a=1 HTTP/1.1\r\nHost: t\r\nX-Correlation-Id: abc\r\nContent-Length: 4\r\n\r\nbody")
      assert answer =~ "HTTP/1.1 201 Created\r\n"
      assert answer =~ "x-seen: yes\r\n"
      [_head, body] = String.split(answer, "\r\n\r\n", parts: 2)

      assert Notifications.JSON.decode(body) ==
               {:ok, %{"method" => "POST", "path" => "/v1/x", "query" => "a=1", "body" => "body", "id" => "abc"}}
    end

    test "a handler that raises becomes a 500 with the error envelope" do
      {:ok, _pid, port} = Notifications.HTTP.start_link(port: 0, handler: fn _ -> raise "boom" end, announce: false)
      answer = request(port, "GET / HTTP/1.1\r\nHost: t\r\n\r\n")
      assert answer =~ "HTTP/1.1 500"
      assert answer =~ ~s({"error":{"code":"internal","message":"boom"}})
    end
  end
end
