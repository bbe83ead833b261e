defmodule RealtimeChat.Listener do
  @moduledoc """
  Owns the listening socket and runs the accept loop.

  `init/1` opens the listening socket, so when `start_link/1` returns the
  port is open and `port/1` can report it. Accepting happens in a separate
  linked process, because `:gen_tcp.accept/1` blocks and a GenServer that
  blocks cannot answer `port/1`.

  For each accepted socket the acceptor starts a `RealtimeChat.Connection`
  under the connection supervisor, makes it the socket's controlling process
  and then calls `RealtimeChat.Connection.activate/1`.
  """
  use GenServer

  alias RealtimeChat.Connection

  @doc """
  Starts the listener. Options: `:name`, `:chat`, `:port`, `:ip`,
  `:max_outbox` and `:sndbuf` as in `RealtimeChat.Server.start_link/1`, plus
  `:connection_supervisor`, the DynamicSupervisor to start connections under.
  """
  def start_link(opts) do
    GenServer.start_link(__MODULE__, opts, name: Keyword.fetch!(opts, :name))
  end

  @doc "The port the listening socket is bound to."
  @spec port(GenServer.server()) :: :inet.port_number()
  def port(listener), do: GenServer.call(listener, :port)

  @impl true
  def init(opts) do
    socket_opts =
      [:binary, packet: :line, active: false, reuseaddr: true, nodelay: true, backlog: 128]
      |> Keyword.put(:ip, Keyword.get(opts, :ip, {127, 0, 0, 1}))
      |> then(fn o -> if s = opts[:sndbuf], do: Keyword.put(o, :sndbuf, s), else: o end)

    case :gen_tcp.listen(Keyword.fetch!(opts, :port), socket_opts) do
      {:ok, listen_socket} ->
        conn_opts = [
          chat: Keyword.fetch!(opts, :chat),
          max_outbox: Keyword.get(opts, :max_outbox, 1000)
        ]

        sup = Keyword.fetch!(opts, :connection_supervisor)
        spawn_link(fn -> accept_loop(listen_socket, sup, conn_opts) end)
        {:ok, listen_socket}

      {:error, reason} ->
        {:stop, reason}
    end
  end

  @impl true
  def handle_call(:port, _from, listen_socket) do
    {:ok, port} = :inet.port(listen_socket)
    {:reply, port, listen_socket}
  end

  defp accept_loop(listen_socket, sup, conn_opts) do
    case :gen_tcp.accept(listen_socket) do
      {:ok, socket} ->
        start_connection(socket, sup, conn_opts)
        accept_loop(listen_socket, sup, conn_opts)

      # The listening socket was closed: the listener is going away, or must be
      # restarted by its supervisor (the exit signal takes it down with us).
      {:error, reason} ->
        exit({:shutdown, reason})
    end
  end

  defp start_connection(socket, sup, conn_opts) do
    case DynamicSupervisor.start_child(sup, {Connection, [socket: socket] ++ conn_opts}) do
      {:ok, pid} ->
        case :gen_tcp.controlling_process(socket, pid) do
          :ok -> Connection.activate(pid)
          {:error, _} -> :gen_tcp.close(socket)
        end

      {:error, _reason} ->
        :gen_tcp.close(socket)
    end
  end
end
