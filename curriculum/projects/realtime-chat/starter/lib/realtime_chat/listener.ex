defmodule RealtimeChat.Listener do
  @moduledoc """
  Stage 4. Owns the listening socket and runs the accept loop.

  `init/1` opens the listening socket, so that when `start_link/1` returns the
  port is open and `port/1` can report it. Accepting happens in a separate
  process started with `spawn_link/1`, because `:gen_tcp.accept/1` blocks and
  a GenServer that blocks cannot answer `port/1`. The link means the two live
  and die together.

  For each accepted socket the acceptor:

    1. starts a `RealtimeChat.Connection` under the connection supervisor with
       `DynamicSupervisor.start_child(sup, {RealtimeChat.Connection, socket: s, chat: chat, max_outbox: n})`,
    2. makes it the socket's owner with `:gen_tcp.controlling_process(s, pid)`,
    3. and only then calls `RealtimeChat.Connection.activate(pid)`.

  If starting the connection or the hand-off fails, close the socket and keep
  accepting. If `:gen_tcp.accept/1` returns an error, the listening socket is
  gone: exit (for example with `exit({:shutdown, reason})`), and the link
  takes the listener down so its supervisor restarts it.

  Socket options for `:gen_tcp.listen(port, opts)`:
  `[:binary, packet: :line, active: false, reuseaddr: true, nodelay: true, ip: ip]`.
  `packet: :line` makes the socket deliver one line per read; `active: false`
  means nobody receives anything until they ask (connections switch to
  `active: :once`); `nodelay: true` turns off Nagle's algorithm, which would
  otherwise hold a small reply back until the previous one is acknowledged
  (about 40 ms with delayed ACKs). A backlog above the default 5 (e.g.
  `backlog: 128`) keeps bursts of connects from waiting on SYN retries.
  """
  use GenServer

  @doc """
  Starts the listener, registered as `:name`. Options, as given by
  `RealtimeChat.Server`:
    * `:name`, `:chat`, `:port` (0 picks a free port)
    * `:ip` - default `{127, 0, 0, 1}`
    * `:max_outbox` - passed to each connection (default 1000)
    * `:sndbuf` - if present, add `sndbuf: value` to the socket options
      (accepted sockets inherit it)
    * `:connection_supervisor` - the DynamicSupervisor to start connections under

  If `:gen_tcp.listen/2` fails, `init/1` returns `{:stop, reason}`.
  """
  def start_link(_opts) do
    raise "not implemented"
  end

  @doc "The port the listening socket is bound to (`:inet.port/1`)."
  @spec port(GenServer.server()) :: :inet.port_number()
  def port(_listener) do
    raise "not implemented"
  end

  @impl true
  def init(_opts) do
    raise "not implemented"
  end
end
