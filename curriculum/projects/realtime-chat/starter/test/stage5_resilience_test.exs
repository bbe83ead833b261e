defmodule RealtimeChat.Stage5ResilienceTest do
  use ExUnit.Case, async: true
  @moduletag stage: 5

  import ChatTest.Helpers
  import ChatTest.Client
  alias RealtimeChat.{Chat, HistoryStore, Outbox, Room, Server}

  setup do
    chat = unique(Chat)
    start_supervised!({Chat, name: chat, history_size: 3})
    %{chat: chat}
  end

  defp restarted_room(chat, name, old_pid) do
    wait_until(fn ->
      case Chat.lookup(chat, name) do
        {:ok, pid} when pid != old_pid -> pid
        _ -> nil
      end
    end)
  end

  describe "stage 5: the history store" do
    test "put/2 and get/2 store a list per room; an unknown room is []" do
      table = unique(HistoryStore)
      start_supervised!({HistoryStore, name: table})

      assert HistoryStore.get(table, "lobby") == []
      assert HistoryStore.put(table, "lobby", [{"bob", "b"}, {"alice", "a"}]) == :ok
      assert HistoryStore.get(table, "lobby") == [{"bob", "b"}, {"alice", "a"}]
      assert HistoryStore.put(table, "lobby", [{"carol", "c"}]) == :ok
      assert HistoryStore.get(table, "lobby") == [{"carol", "c"}]
      assert HistoryStore.get(table, "other") == []
    end

    test "what a process writes outlives that process" do
      table = unique(HistoryStore)
      store = start_supervised!({HistoryStore, name: table})

      {writer, ref} = spawn_monitor(fn -> HistoryStore.put(table, "lobby", [{"w", "hi"}]) end)
      assert_receive {:DOWN, ^ref, :process, ^writer, :normal}
      assert HistoryStore.get(table, "lobby") == [{"w", "hi"}]
      # The table belongs to the store process, not to whoever wrote into it.
      assert :ets.info(table, :owner) == store
    end
  end

  describe "stage 5: crashes" do
    test "a killed room is restarted under the same name with its history", %{chat: chat} do
      {:ok, _} = Chat.join(chat, "lobby", self(), "alice")
      {:ok, old} = Chat.lookup(chat, "lobby")
      for i <- 1..4, do: :ok = Room.say(old, self(), "m#{i}")

      Process.exit(old, :kill)
      new = restarted_room(chat, "lobby", old)

      # Members lived in the crashed process: the new room starts empty...
      assert Room.who(new) == []
      # ...but its history came back from the store.
      assert Room.history(new) == [{"alice", "m2"}, {"alice", "m3"}, {"alice", "m4"}]

      assert Chat.join(chat, "lobby", spawn_member(), "bob") ==
               {:ok, [{"alice", "m2"}, {"alice", "m3"}, {"alice", "m4"}]}
    end

    test "over TCP, members of a crashed room get LOST and can JOIN again", %{chat: chat} do
      server = unique(Server)
      start_supervised!({Server, name: server, chat: chat, port: 0})
      port = Server.port(server)

      alice = login(port, "alice")
      bob = login(port, "bob")
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 0"
      assert recv_line(alice) == "JOINED lobby bob"
      assert request(alice, "MSG lobby before the crash") == "MSG lobby alice before the crash"
      assert recv_line(bob) == "MSG lobby alice before the crash"

      {:ok, old} = Chat.lookup(chat, "lobby")
      Process.exit(old, :kill)
      assert recv_line(alice) == "LOST lobby"
      assert recv_line(bob) == "LOST lobby"
      assert request(alice, "MSG lobby anyone?") == "ERR not_member"

      restarted_room(chat, "lobby", old)
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 1"
      assert recv_line(alice) == "HISTORY lobby alice before the crash"
      assert request(alice, "WHO lobby") == "WHO lobby alice"
    end

    test "if the history store dies, the rooms restart with it (rest_for_one)", %{chat: chat} do
      {:ok, _} = Chat.join(chat, "lobby", self(), "alice")
      {:ok, room} = Chat.lookup(chat, "lobby")
      :ok = Room.say(room, self(), "gone soon")
      ref = Process.monitor(room)

      store = Process.whereis(Chat.history_store(chat))
      Process.exit(store, :kill)

      # The room supervisor was restarted too, and a DynamicSupervisor comes back empty.
      assert_receive {:DOWN, ^ref, :process, ^room, _reason}
      wait_until(fn -> Chat.lookup(chat, "lobby") == :error end)
      wait_until(fn -> Process.whereis(Chat.history_store(chat)) not in [nil, store] end)

      # The history died with the table's owner; the next JOIN starts the room afresh.
      assert Chat.join(chat, "lobby", self(), "alice") == {:ok, []}
    end
  end

  describe "stage 5: slow consumers" do
    test "an outbox holds at most max lines, and hands them back oldest first" do
      box = Outbox.new(3)
      assert Outbox.size(box) == 0
      {:ok, box} = Outbox.push(box, "a\n")
      {:ok, box} = Outbox.push(box, "b\n")
      {:ok, box} = Outbox.push(box, "c\n")
      assert Outbox.size(box) == 3
      assert Outbox.push(box, "d\n") == {:error, :full}

      assert {["a\n", "b\n", "c\n"], box} = Outbox.take_all(box)
      assert Outbox.size(box) == 0
      assert {[], _} = Outbox.take_all(box)
      assert {:ok, _} = Outbox.push(box, "e\n")
    end

    test "a member that never reads its mailbox does not slow the room down", %{chat: chat} do
      sleeper = spawn(fn -> Process.sleep(:infinity) end)
      on_exit(fn -> Process.exit(sleeper, :kill) end)
      {:ok, _} = Chat.join(chat, "lobby", sleeper, "sleepy")
      {:ok, _} = Chat.join(chat, "lobby", self(), "alice")
      {:ok, room} = Chat.lookup(chat, "lobby")

      # If the room waited for `sleepy` in any way, Room.say would hit the
      # 5-second GenServer.call timeout and this test would fail.
      for i <- 1..2_000, do: :ok = Room.say(room, self(), "m#{i}")

      for i <- 1..2_000 do
        text = "m#{i}"
        assert_received {:chat, "lobby", {:message, "alice", ^text}}
      end

      assert {:message_queue_len, n} = Process.info(sleeper, :message_queue_len)
      assert n >= 2_000
    end

    test "a TCP client that stops reading is disconnected; the others are unaffected",
         %{chat: chat} do
      server = unique(Server)
      # Small kernel buffers and a small outbox so the slow client overflows quickly.
      start_supervised!(
        {Server, name: server, chat: chat, port: 0, max_outbox: 100, sndbuf: 4096}
      )

      port = Server.port(server)
      slow = login(port, "slow", recbuf: 4096)
      fast = login(port, "fast")
      assert request(slow, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(fast, "JOIN lobby") == "OK JOIN lobby 0"
      # From here on, `slow` never reads again (until the end of the test).

      text = String.duplicate("x", 200)

      # `fast` sends 2,000 messages and reads its own echo of each one before
      # sending the next; a LEFT for `slow` may arrive in between.
      lefts =
        Enum.reduce(1..2_000, 0, fn i, lefts ->
          send_line(fast, "MSG lobby #{i} #{text}")
          read_until_echo(fast, "MSG lobby fast #{i} #{text}", lefts)
        end)

      assert lefts <= 1
      assert request(fast, "WHO lobby") in ["WHO lobby fast", "LEFT lobby slow"]
      assert_closed(slow)
      wait_until(fn -> Chat.who(chat, "lobby") == ["fast"] end)
    end
  end

  defp read_until_echo(socket, echo, lefts) do
    case recv_line(socket, 5_000) do
      ^echo -> lefts
      "LEFT lobby slow" -> read_until_echo(socket, echo, lefts + 1)
      other -> flunk("unexpected line #{inspect(other)}")
    end
  end

  describe "stage 5: scale" do
    test "5,000 members each receive every one of 20 messages, in order", %{chat: chat} do
      members = 5_000
      messages = 20
      test = self()
      {:ok, room} = Chat.room(chat, "stadium")
      started = System.monotonic_time(:millisecond)

      pids =
        for i <- 1..members do
          pid = spawn_link(fn -> count_messages(test, messages, 1) end)
          {:ok, _} = Room.join(room, pid, "u#{i}")
          pid
        end

      speaker = hd(pids)
      for n <- 1..messages, do: :ok = Room.say(room, speaker, "#{n}")

      results =
        for _ <- 1..members, into: %{} do
          assert_receive {:done, pid, result}, 10_000
          {pid, result}
        end

      elapsed = System.monotonic_time(:millisecond) - started
      assert Enum.sort(Map.keys(results)) == Enum.sort(pids)
      assert Enum.all?(Map.values(results), &(&1 == :in_order))
      assert elapsed < 10_000, "took #{elapsed} ms"
    end
  end

  # A simulated client: ignores presence events and checks that the messages
  # "1", "2", ... arrive in order, then reports to the test.
  defp count_messages(test, total, next) when next > total,
    do: send(test, {:done, self(), :in_order})

  defp count_messages(test, total, next) do
    receive do
      {:chat, "stadium", {:message, "u1", text}} ->
        if text == Integer.to_string(next) do
          count_messages(test, total, next + 1)
        else
          send(test, {:done, self(), {:out_of_order, next, text}})
        end

      {:chat, "stadium", _presence} ->
        count_messages(test, total, next)
    end
  end
end
