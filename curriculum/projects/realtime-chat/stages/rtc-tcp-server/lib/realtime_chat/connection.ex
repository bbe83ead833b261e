defmodule RealtimeChat.Connection do
  @moduledoc """
  One process per TCP client: reads command lines, talks to rooms, and writes
  replies and room events back to the client.

  Reading uses `active: :once`: the socket delivers one `{:tcp, socket, line}`
  message, and the next only after we ask again, so a client that floods us
  is slowed down by TCP flow control instead of filling our mailbox.

  Writing is a plain `:gen_tcp.send/2` from this process. The rooms never
  wait for us: they only `send/2` events.

  Stage 5: a `{:DOWN, ...}` for a room we are in means it crashed (send
  `LOST room`); a call to a room that dies in the middle answers
  `ERR unavailable`; and a linked writer process with a bounded
  `RealtimeChat.Outbox` disconnects slow consumers.
  """
  use GenServer, restart: :temporary

  alias RealtimeChat.{Chat, Protocol, Room}

  defstruct [:socket, :chat, nick: nil, rooms: %{}, closing: false]

  @doc """
  Starts a connection process for an accepted socket. Options: `:socket`,
  `:chat` (the chat instance) and `:max_outbox` (stage 5). The process must
  not touch the socket until `activate/1` tells it that it owns it.
  """
  def start_link(opts), do: GenServer.start_link(__MODULE__, opts)

  @doc "Tells the connection it is now the socket's controlling process."
  def activate(pid), do: send(pid, :activate)

  @impl true
  def init(opts) do
    {:ok, %__MODULE__{socket: Keyword.fetch!(opts, :socket), chat: Keyword.fetch!(opts, :chat)}}
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

  # After QUIT, BYE has been written: close.
  defp continue(%{closing: true} = state) do
    :gen_tcp.close(state.socket)
    {:stop, :normal, state}
  end

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
           {:ok, history} <- Room.join(pid, self(), state.nick) do
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
        case Room.say(pid, self(), text) do
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
        Room.leave(pid, self())
        emit(%{state | rooms: rooms}, {:ok_leave, room})
    end
  end

  defp command({:ok, {:who, room}}, state) do
    emit(state, {:who, room, Chat.who(state.chat, room)})
  end

  # --- writing --------------------------------------------------------------

  # Nothing more is sent after QUIT (BYE is last).
  defp emit(%{closing: true} = state, _reply), do: state

  defp emit(state, reply) do
    :gen_tcp.send(state.socket, Protocol.format(reply))
    state
  end
end
