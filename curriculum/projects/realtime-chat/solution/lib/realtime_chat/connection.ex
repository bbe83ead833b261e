defmodule RealtimeChat.Connection do
  @moduledoc """
  One process per TCP client: reads command lines, talks to rooms, and writes
  replies and room events back to the client.

  Reading uses `active: :once`: the socket delivers one `{:tcp, socket, line}`
  message, and the next only after we ask again, so a client that floods us
  is slowed down by TCP flow control instead of filling our mailbox.

  Writing goes through a linked writer process, because `:gen_tcp.send/2`
  blocks when the client does not read. While the writer is busy, lines wait
  in a bounded `RealtimeChat.Outbox`; when it overflows the client is a slow
  consumer and the connection stops, which closes the socket. The rooms never
  wait for us: they only `send/2` events.
  """
  use GenServer, restart: :temporary

  alias RealtimeChat.{Chat, Outbox, Protocol, Room}

  defstruct [
    :socket,
    :chat,
    :writer,
    :outbox,
    nick: nil,
    rooms: %{},
    writing: false,
    closing: false,
    overflow: false
  ]

  @doc """
  Starts a connection process for an accepted socket. Options: `:socket`,
  `:chat` (the chat instance) and `:max_outbox`. The process must not touch
  the socket until `activate/1` tells it that it owns it.
  """
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts)

  @doc "Tells the connection it is now the socket's controlling process."
  def activate(pid), do: send(pid, :activate)

  @impl true
  def init(opts) do
    socket = Keyword.fetch!(opts, :socket)
    parent = self()
    writer = spawn_link(fn -> writer_loop(socket, parent) end)

    {:ok,
     %__MODULE__{
       socket: socket,
       chat: Keyword.fetch!(opts, :chat),
       writer: writer,
       outbox: Outbox.new(Keyword.get(opts, :max_outbox, 1000))
     }}
  end

  @impl true
  def handle_info(:activate, state) do
    case :inet.setopts(state.socket, active: :once) do
      :ok -> {:noreply, state}
      # The socket was closed before we got to it.
      {:error, _reason} -> {:stop, :normal, state}
    end
  end

  def handle_info({:tcp, socket, line}, %{socket: socket} = state) do
    state = line |> Protocol.parse() |> command(state)
    unless state.closing, do: :inet.setopts(socket, active: :once)
    continue(state)
  end

  def handle_info({:tcp_closed, socket}, %{socket: socket} = state) do
    {:stop, :normal, state}
  end

  def handle_info({:tcp_error, socket, _reason}, %{socket: socket} = state) do
    {:stop, :normal, state}
  end

  def handle_info({:chat, room, event}, state) do
    # Events from a room we have left (sent before we left) are dropped.
    if Map.has_key?(state.rooms, room) do
      state |> emit(event_reply(room, event)) |> continue()
    else
      {:noreply, state}
    end
  end

  def handle_info({:DOWN, ref, :process, _pid, _reason}, state) do
    case Enum.find(state.rooms, fn {_name, {_pid, r}} -> r == ref end) do
      {name, _} ->
        %{state | rooms: Map.delete(state.rooms, name)}
        |> emit({:lost, name})
        |> continue()

      nil ->
        {:noreply, state}
    end
  end

  def handle_info({:written, writer}, %{writer: writer} = state) do
    case Outbox.take_all(state.outbox) do
      {[], outbox} ->
        state = %{state | outbox: outbox, writing: false}

        if state.closing do
          :gen_tcp.close(state.socket)
          {:stop, :normal, state}
        else
          {:noreply, state}
        end

      {lines, outbox} ->
        send(writer, {:write, lines})
        {:noreply, %{state | outbox: outbox}}
    end
  end

  @impl true
  def terminate(_reason, state) do
    # A :normal exit does not take linked processes down with it.
    Process.exit(state.writer, :kill)
    :ok
  end

  defp continue(%{overflow: true} = state), do: {:stop, {:shutdown, :slow_consumer}, state}
  defp continue(state), do: {:noreply, state}

  defp event_reply(room, {:joined, nick}), do: {:joined, room, nick}
  defp event_reply(room, {:left, nick}), do: {:left, room, nick}
  defp event_reply(room, {:message, nick, text}), do: {:message, room, nick, text}

  # --- commands -------------------------------------------------------------

  defp command({:error, reason}, state), do: emit(state, {:error, reason})

  defp command({:ok, :quit}, state), do: %{emit(state, :bye) | closing: true}

  defp command({:ok, {:nick, nick}}, %{nick: nil} = state) do
    case Registry.register(Chat.registry(state.chat), {:nick, nick}, nil) do
      {:ok, _} -> emit(%{state | nick: nick}, {:ok_nick, nick})
      {:error, {:already_registered, _}} -> emit(state, {:error, :nick_taken})
    end
  end

  defp command({:ok, {:nick, _}}, state), do: emit(state, {:error, :nick_already_set})

  defp command({:ok, _}, %{nick: nil} = state), do: emit(state, {:error, :no_nick})

  defp command({:ok, {:join, room}}, state) do
    if Map.has_key?(state.rooms, room) do
      emit(state, {:error, :already_member})
    else
      with {:ok, pid} <- Chat.room(state.chat, room),
           {:ok, history} <- safe_call(fn -> Room.join(pid, self(), state.nick) end) do
        ref = Process.monitor(pid)
        state = %{state | rooms: Map.put(state.rooms, room, {pid, ref})}
        state = emit(state, {:ok_join, room, length(history)})

        Enum.reduce(history, state, fn {nick, text}, acc ->
          emit(acc, {:history, room, nick, text})
        end)
      else
        {:error, reason} -> emit(state, {:error, reason})
      end
    end
  end

  defp command({:ok, {:msg, room, text}}, state) do
    case Map.fetch(state.rooms, room) do
      :error ->
        emit(state, {:error, :not_member})

      {:ok, {pid, _ref}} ->
        # No reply on success: the room echoes the message to us like to everyone.
        case safe_call(fn -> Room.say(pid, self(), text) end) do
          :ok -> state
          {:error, reason} -> emit(state, {:error, reason})
        end
    end
  end

  defp command({:ok, {:leave, room}}, state) do
    case Map.pop(state.rooms, room) do
      {nil, _} ->
        emit(state, {:error, :not_member})

      {{pid, ref}, rooms} ->
        Process.demonitor(ref, [:flush])
        safe_call(fn -> Room.leave(pid, self()) end)
        emit(%{state | rooms: rooms}, {:ok_leave, room})
    end
  end

  defp command({:ok, {:who, room}}, state) do
    case safe_call(fn -> {:ok, Chat.who(state.chat, room)} end) do
      {:ok, nicks} -> emit(state, {:who, room, nicks})
      {:error, reason} -> emit(state, {:error, reason})
    end
  end

  # A room can die while we call it (it is being restarted): report it to the
  # client instead of crashing the connection.
  defp safe_call(fun) do
    fun.()
  catch
    :exit, _ -> {:error, :unavailable}
  end

  # --- writing --------------------------------------------------------------

  # Nothing more is queued once the client overflowed or said QUIT (BYE is last).
  defp emit(%{overflow: true} = state, _reply), do: state
  defp emit(%{closing: true} = state, _reply), do: state

  defp emit(%{writing: false} = state, reply) do
    send(state.writer, {:write, Protocol.format(reply)})
    %{state | writing: true}
  end

  defp emit(state, reply) do
    case Outbox.push(state.outbox, Protocol.format(reply)) do
      {:ok, outbox} -> %{state | outbox: outbox}
      {:error, :full} -> %{state | overflow: true}
    end
  end

  defp writer_loop(socket, parent) do
    receive do
      {:write, data} ->
        case :gen_tcp.send(socket, data) do
          :ok ->
            send(parent, {:written, self()})
            writer_loop(socket, parent)

          {:error, _reason} ->
            # The socket is gone; the connection learns it from {:tcp_closed, _}.
            :ok
        end
    end
  end
end
