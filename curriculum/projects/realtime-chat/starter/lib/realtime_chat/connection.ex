defmodule RealtimeChat.Connection do
  @moduledoc """
  Stages 4 and 5. One process per TCP client: reads command lines, talks to
  rooms, and writes replies and room events back to the client.

  ## Stage 4

  The process starts without touching the socket (the listener still owns it)
  and waits for the `:activate` message that `activate/1` sends. From then on:

    * Read with `active: :once`: `:inet.setopts(socket, active: :once)` makes
      the socket deliver the next line as a `{:tcp, socket, line}` message in
      `handle_info/2`, and then stop until you call it again. Call it again
      after handling each line (not after QUIT).
    * `{:tcp_closed, socket}` or `{:tcp_error, socket, reason}`: stop with
      `{:stop, :normal, state}`. The rooms notice by their monitors.
    * Parse each line with `RealtimeChat.Protocol.parse/1` and answer with
      `RealtimeChat.Protocol.format/1` lines, as the brief describes:
      NICK (register `{:nick, nick}` in `RealtimeChat.Chat.registry(chat)`
      with `Registry.register/3` *from this process*; it returns
      `{:error, {:already_registered, pid}}` when taken), JOIN (via
      `RealtimeChat.Chat.room/2` and `RealtimeChat.Room.join/3`, then
      `OK JOIN room n` and n HISTORY lines), MSG (no reply: the room's echo is
      the reply), LEAVE, WHO (`RealtimeChat.Chat.who/2`) and QUIT (`BYE`, then
      close the socket with `:gen_tcp.close/1` and stop).
    * Room events arrive as `{:chat, room, {:joined, nick} | {:left, nick} | {:message, nick, text}}`.
      Forward them as JOINED / LEFT / MSG lines, but drop events for a room
      you are no longer in (one can arrive just after your LEAVE).
    * Keep the rooms you are in, e.g. `%{room_name => {room_pid, monitor_ref}}`,
      and monitor each room you join. Rooms may die in stage 5.

  In stage 4 you may write with `:gen_tcp.send(socket, line)` directly.

  ## Stage 5

    * A `{:DOWN, ref, :process, _, _}` for a room you are in means it
      crashed: forget it and send `LOST room`.
    * Slow consumers: `:gen_tcp.send/2` blocks when the client does not
      read. Do the sending in a writer process started with `spawn_link/1` in
      `init/1` that loops: receive `{:write, iodata}`, send it, reply
      `{:written, self()}`. Keep a `writing?` flag: when the writer is idle,
      hand it the line at once; when it is busy, push the line into a
      `RealtimeChat.Outbox`; on `{:written, writer}`, hand it everything
      waiting (`Outbox.take_all/1`) as one batch, or mark it idle. When
      `Outbox.push/2` returns `{:error, :full}`, stop with
      `{:stop, {:shutdown, :slow_consumer}, state}`: that closes the socket
      without further output. After QUIT, close only once `BYE` has been
      written.
    * A `:normal` exit does not kill linked processes, so kill the writer in
      `terminate/2` (`Process.exit(writer, :kill)`).
    * A call to a room that dies in the middle raises an exit; catching it
      (`try ... catch :exit, _ -> ...`) lets you answer `ERR unavailable`
      instead of crashing.
  """
  use GenServer, restart: :temporary

  @doc """
  Starts a connection process for an accepted socket. Options: `:socket`,
  `:chat` (the chat instance name) and `:max_outbox` (default 1000). The
  process must not touch the socket until `activate/1` tells it that it owns it.
  """
  def start_link(_opts) do
    raise "not implemented"
  end

  @doc "Tells the connection it is now the socket's controlling process (sends `:activate`)."
  def activate(pid), do: send(pid, :activate)

  @impl true
  def init(_opts) do
    raise "not implemented"
  end
end
