# Generous timeouts: the tests must pass on a busy laptop or CI runner too.
# A correct solution answers in microseconds; these only bound how long a
# failing test waits before it reports.
ExUnit.start(assert_receive_timeout: 2_000)

defmodule ChatTest.Helpers do
  @moduledoc false
  # Helpers shared by the test files. Nothing here needs changing.

  @doc "A fresh atom, e.g. `Chat.I42`, so every test gets its own processes."
  def unique(prefix), do: Module.concat(prefix, "I#{System.unique_integer([:positive])}")

  @doc "Polls `fun` every 10 ms until it returns a truthy value; fails after `timeout` ms."
  def wait_until(fun, timeout \\ 5_000) do
    deadline = System.monotonic_time(:millisecond) + timeout
    do_wait(fun, deadline)
  end

  defp do_wait(fun, deadline) do
    if value = fun.() do
      value
    else
      if System.monotonic_time(:millisecond) > deadline do
        ExUnit.Assertions.flunk("condition not met in time")
      else
        Process.sleep(10)
        do_wait(fun, deadline)
      end
    end
  end

  @doc """
  Spawns a stand-in for a chat client: a process that forwards every message
  it receives to `test` as `{:got, its_pid, message}`.
  """
  def spawn_member(test \\ self()) do
    spawn(fn -> forward(test) end)
  end

  defp forward(test) do
    receive do
      msg ->
        send(test, {:got, self(), msg})
        forward(test)
    end
  end
end

defmodule ChatTest.Client do
  @moduledoc false
  # A minimal line-protocol client on top of :gen_tcp, for the TCP tests.
  import ExUnit.Assertions

  def connect(port, opts \\ []) do
    {:ok, socket} =
      :gen_tcp.connect(
        {127, 0, 0, 1},
        port,
        [:binary, packet: :line, active: false, nodelay: true] ++ opts
      )

    socket
  end

  @doc "Connects and sets the nick, checking the server's `OK NICK` reply."
  def login(port, nick, opts \\ []) do
    socket = connect(port, opts)
    send_line(socket, "NICK #{nick}")
    assert recv_line(socket) == "OK NICK #{nick}"
    socket
  end

  def send_line(socket, line), do: :ok = :gen_tcp.send(socket, line <> "\n")

  @doc "The next line from the server, without its trailing newline."
  def recv_line(socket, timeout \\ 2_000) do
    case :gen_tcp.recv(socket, 0, timeout) do
      {:ok, line} -> String.trim_trailing(line, "\n")
      {:error, reason} -> flunk("expected a line from the server, got #{inspect(reason)}")
    end
  end

  @doc "Sends `line` and returns the next line received."
  def request(socket, line) do
    send_line(socket, line)
    recv_line(socket)
  end

  @doc "Reads (and discards) lines until the server closes the connection."
  def assert_closed(socket, timeout \\ 5_000) do
    case :gen_tcp.recv(socket, 0, timeout) do
      {:ok, _line} ->
        assert_closed(socket, timeout)

      {:error, reason} when reason in [:closed, :econnreset] ->
        :ok

      {:error, reason} ->
        flunk("expected the server to close the connection, got #{inspect(reason)}")
    end
  end
end
