defmodule RealtimeChat.Stage2RoomTest do
  use ExUnit.Case, async: true
  @moduletag stage: 2

  import ChatTest.Helpers
  alias RealtimeChat.Room

  # These tests drive one room directly, with no Registry, supervisor or TCP.
  # The test process and spawn_member/0 processes stand in for clients.

  defp start_room(opts \\ []) do
    start_supervised!({Room, Keyword.merge([room: "lobby"], opts)})
  end

  describe "stage 2: membership" do
    test "a new room is empty; join returns its (empty) history and who lists the member" do
      room = start_room()
      assert Room.who(room) == []
      assert Room.join(room, self(), "alice") == {:ok, []}
      assert Room.who(room) == ["alice"]
    end

    test "who lists nicks sorted" do
      room = start_room()
      for nick <- ["carol", "alice", "bob"], do: {:ok, _} = Room.join(room, spawn_member(), nick)
      assert Room.who(room) == ["alice", "bob", "carol"]
    end

    test "joining twice with the same pid is {:error, :already_member}" do
      room = start_room()
      assert {:ok, []} = Room.join(room, self(), "alice")
      assert Room.join(room, self(), "alice") == {:error, :already_member}
      assert Room.who(room) == ["alice"]
    end

    test "the other members are told about a join, the joiner is not" do
      room = start_room()
      bob = spawn_member()
      {:ok, _} = Room.join(room, bob, "bob")
      {:ok, _} = Room.join(room, self(), "alice")

      assert_receive {:got, ^bob, {:chat, "lobby", {:joined, "alice"}}}
      # join is a call: anything the room sent us would already be here.
      refute_received {:chat, "lobby", {:joined, "alice"}}
    end

    test "leave removes the member and tells the others; leaving twice is :not_member" do
      room = start_room()
      bob = spawn_member()
      {:ok, _} = Room.join(room, bob, "bob")
      {:ok, _} = Room.join(room, self(), "alice")

      assert Room.leave(room, self()) == :ok
      assert_receive {:got, ^bob, {:chat, "lobby", {:left, "alice"}}}
      assert Room.who(room) == ["bob"]
      assert Room.leave(room, self()) == {:error, :not_member}
    end

    test "join and leave notices are only sent while the room has at most :presence_limit members" do
      room = start_room(presence_limit: 2)
      {:ok, _} = Room.join(room, self(), "a")
      bob = spawn_member()
      {:ok, _} = Room.join(room, bob, "b")
      # 2 members counting the joiner: a is told.
      assert_received {:chat, "lobby", {:joined, "b"}}

      carol = spawn_member()
      {:ok, _} = Room.join(room, carol, "c")
      # 3 members counting the joiner: above the limit, nobody is told.
      refute_received {:chat, "lobby", {:joined, "c"}}

      :ok = Room.leave(room, carol)
      # 3 members counting the leaver: still quiet.
      refute_received {:chat, "lobby", {:left, "c"}}

      :ok = Room.leave(room, bob)
      assert_received {:chat, "lobby", {:left, "b"}}
      assert Room.who(room) == ["a"]
    end

    test "a member process that exits leaves the room and the others are told" do
      room = start_room()
      {:ok, _} = Room.join(room, self(), "alice")
      {doomed, ref} = spawn_monitor(fn -> Process.sleep(:infinity) end)
      {:ok, _} = Room.join(room, doomed, "doomed")
      assert_receive {:chat, "lobby", {:joined, "doomed"}}

      Process.exit(doomed, :kill)
      assert_receive {:DOWN, ^ref, :process, ^doomed, :killed}
      assert_receive {:chat, "lobby", {:left, "doomed"}}
      assert Room.who(room) == ["alice"]
    end
  end

  describe "stage 2: messages" do
    test "say delivers {:message, nick, text} to every member, the sender included" do
      room = start_room()
      bob = spawn_member()
      {:ok, _} = Room.join(room, bob, "bob")
      {:ok, _} = Room.join(room, self(), "alice")

      assert Room.say(room, self(), "hello") == :ok
      assert_receive {:chat, "lobby", {:message, "alice", "hello"}}
      assert_receive {:got, ^bob, {:chat, "lobby", {:message, "alice", "hello"}}}
    end

    test "a non-member cannot say anything" do
      room = start_room()
      {:ok, _} = Room.join(room, self(), "alice")
      stranger = spawn_member()

      assert Room.say(room, stranger, "spam") == {:error, :not_member}
      refute_received {:chat, "lobby", {:message, _, "spam"}}
      assert Room.history(room) == []
    end

    test "a member that left receives nothing more" do
      room = start_room()
      bob = spawn_member()
      {:ok, _} = Room.join(room, bob, "bob")
      {:ok, _} = Room.join(room, self(), "alice")
      :ok = Room.leave(room, bob)

      :ok = Room.say(room, self(), "after bob left")
      assert_receive {:chat, "lobby", {:message, "alice", "after bob left"}}
      # bob forwards in order: once the marker is back, anything before it is too.
      send(bob, :marker)
      assert_receive {:got, ^bob, :marker}
      refute_received {:got, ^bob, {:chat, "lobby", {:message, _, _}}}
    end

    test "messages from one sender arrive in the order they were said" do
      room = start_room()
      {:ok, _} = Room.join(room, self(), "alice")
      for i <- 1..100, do: :ok = Room.say(room, self(), "m#{i}")

      received =
        for _ <- 1..100 do
          assert_receive {:chat, "lobby", {:message, "alice", text}}
          text
        end

      assert received == Enum.map(1..100, &"m#{&1}")
    end
  end

  describe "stage 2: history" do
    test "keeps the last :history_size messages, oldest first" do
      room = start_room(history_size: 3)
      {:ok, _} = Room.join(room, self(), "alice")
      for i <- 1..5, do: :ok = Room.say(room, self(), "m#{i}")

      assert Room.history(room) == [{"alice", "m3"}, {"alice", "m4"}, {"alice", "m5"}]
    end

    test "join returns the history so a newcomer can catch up" do
      room = start_room(history_size: 3)
      {:ok, _} = Room.join(room, self(), "alice")
      :ok = Room.say(room, self(), "first")
      :ok = Room.say(room, self(), "second")

      assert Room.join(room, spawn_member(), "bob") ==
               {:ok, [{"alice", "first"}, {"alice", "second"}]}
    end

    test "history_size defaults to 10" do
      room = start_room()
      {:ok, _} = Room.join(room, self(), "alice")
      for i <- 1..12, do: :ok = Room.say(room, self(), "m#{i}")

      assert Room.history(room) == Enum.map(3..12, &{"alice", "m#{&1}"})
    end

    test "history is kept when everyone has left" do
      room = start_room()
      {:ok, _} = Room.join(room, self(), "alice")
      :ok = Room.say(room, self(), "still here?")
      :ok = Room.leave(room, self())

      assert Room.who(room) == []
      assert Room.history(room) == [{"alice", "still here?"}]
    end
  end

  describe "stage 2: naming" do
    test "start_link passes :name on to GenServer, so a room can be registered" do
      name = unique(__MODULE__)
      pid = start_room(name: name)
      assert Process.whereis(name) == pid
      assert {:ok, []} = Room.join(name, self(), "alice")
    end
  end
end
