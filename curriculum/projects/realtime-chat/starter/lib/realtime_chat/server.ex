defmodule RealtimeChat.Server do
  @moduledoc """
  The TCP side of a chat instance: a supervisor with a DynamicSupervisor for
  connections (one process per client) and the listener that accepts them.

  The connection supervisor starts first and the strategy is `:rest_for_one`:
  if the listener crashes it is restarted alone and connected clients stay
  connected; if the connection supervisor crashes, both restart.

  This module is complete; you implement `RealtimeChat.Listener` and
  `RealtimeChat.Connection`.
  """
  use Supervisor

  @doc """
  Starts a server. Options:
    * `:name` (required, an atom)
    * `:chat` (required) - the name of the `RealtimeChat.Chat` instance to serve
    * `:port` (required) - the TCP port; 0 picks a free one (see `port/1`)
    * `:ip` - the address to listen on (default `{127, 0, 0, 1}`)
    * `:max_outbox` - lines a connection may have waiting before it is
      disconnected as a slow consumer (default 1000)
    * `:sndbuf` - if given, the kernel send buffer size of each accepted socket
  """
  def start_link(opts) do
    name = Keyword.fetch!(opts, :name)
    Supervisor.start_link(__MODULE__, opts, name: name)
  end

  @doc "The DynamicSupervisor holding this server's connection processes."
  def connections(server), do: Module.concat(server, Connections)

  @doc "The registered name of this server's listener."
  def listener(server), do: Module.concat(server, Listener)

  @doc "The TCP port the server actually listens on."
  @spec port(atom) :: :inet.port_number()
  def port(server), do: RealtimeChat.Listener.port(listener(server))

  @impl true
  def init(opts) do
    server = Keyword.fetch!(opts, :name)

    listener_opts =
      opts
      |> Keyword.put(:name, listener(server))
      |> Keyword.put(:connection_supervisor, connections(server))

    children = [
      {DynamicSupervisor, name: connections(server), strategy: :one_for_one},
      {RealtimeChat.Listener, listener_opts}
    ]

    Supervisor.init(children, strategy: :rest_for_one)
  end
end
