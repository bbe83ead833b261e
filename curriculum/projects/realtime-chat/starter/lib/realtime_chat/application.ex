defmodule RealtimeChat.Application do
  @moduledoc """
  The OTP application: the root of the supervision tree.

  Outside the test environment it starts one chat instance
  (`RealtimeChat.Main`) and a TCP server for it on the configured port
  (4040 by default, see `config/config.exs`). Try it with
  `mix run --no-halt` and then `nc localhost 4040` in two terminals.

  In the test environment `:serve` is `false`, so this tree is empty and
  every test starts its own chat instance and server on port 0. That keeps
  tests independent of each other and of whatever else listens on 4040.

  This module is complete; you do not need to change it.
  """
  use Application

  @impl true
  def start(_type, _args) do
    children =
      if Application.get_env(:realtime_chat, :serve, true) do
        children(port: Application.get_env(:realtime_chat, :port, 4040))
      else
        []
      end

    Supervisor.start_link(children, strategy: :one_for_one, name: RealtimeChat.Supervisor)
  end

  @doc """
  The children this application starts when it serves: a chat instance and a
  TCP server bound to it. Options: `:port` (required), `:chat` (default
  `RealtimeChat.Main`), `:server` (default `RealtimeChat.Tcp`), `:ip`
  (default `{127, 0, 0, 1}`).
  """
  def children(opts) do
    chat = Keyword.get(opts, :chat, RealtimeChat.Main)
    server = Keyword.get(opts, :server, RealtimeChat.Tcp)

    [
      {RealtimeChat.Chat, name: chat},
      {RealtimeChat.Server,
       name: server,
       chat: chat,
       port: Keyword.fetch!(opts, :port),
       ip: Keyword.get(opts, :ip, {127, 0, 0, 1})}
    ]
  end
end
