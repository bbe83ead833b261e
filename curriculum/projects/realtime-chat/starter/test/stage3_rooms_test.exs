defmodule RealtimeChat.Stage3RoomsTest do
  use ExUnit.Case, async: true
  @moduletag stage: 3

  import ChatTest.Helpers
  alias RealtimeChat.{Chat, Room}

  setup do
    chat = unique(Chat)
    start_supervised!({Chat, name: chat, history_size: 3})
    %{chat: chat}
  end

  describe "stage 3: starting and finding rooms" do
    test "room/2 starts a room on first use and returns the same pid afterwards", %{chat: chat} do
      assert Chat.lookup(chat, "lobby") == :error
      assert {:ok, pid} = Chat.room(chat, "lobby")
      assert is_pid(pid) and Process.alive?(pid)
      assert Chat.room(chat, "lobby") == {:ok, pid}
      assert Chat.lookup(chat, "lobby") == {:ok, pid}
    end

    test "different names are different rooms", %{chat: chat} do
      {:ok, a} = Chat.room(chat, "a")
      {:ok, b} = Chat.room(chat, "b")
      assert a != b
    end

    test "rooms are registered in the instance's Registry under {:room, name}", %{chat: chat} do
      {:ok, pid} = Chat.room(chat, "lobby")
      assert [{^pid, _value}] = Registry.lookup(Chat.registry(chat), {:room, "lobby"})
    end

    test "rooms are children of the instance's DynamicSupervisor, not of the caller", %{
      chat: chat
    } do
      {:ok, pid} = Chat.room(chat, "lobby")
      children = DynamicSupervisor.which_children(Chat.room_supervisor(chat))
      assert [{:undefined, ^pid, :worker, [Room]}] = children

      # The room is not linked to us: if we crash, it keeps running.
      {:links, links} = Process.info(self(), :links)
      refute pid in links
    end

    test "rooms/1 lists the running rooms by name, sorted", %{chat: chat} do
      assert Chat.rooms(chat) == []
      for name <- ["zeta", "alpha", "mid"], do: {:ok, _} = Chat.room(chat, name)
      assert Chat.rooms(chat) == ["alpha", "mid", "zeta"]
    end

    test "rooms get the instance's :history_size", %{chat: chat} do
      {:ok, _} = Chat.join(chat, "lobby", self(), "alice")
      {:ok, pid} = Chat.lookup(chat, "lobby")
      for i <- 1..5, do: :ok = Room.say(pid, self(), "m#{i}")
      assert Room.history(pid) == [{"alice", "m3"}, {"alice", "m4"}, {"alice", "m5"}]
    end

    test "rooms get the instance's :presence_limit" do
      chat = unique(Chat)
      start_supervised!({Chat, name: chat, presence_limit: 1}, id: :quiet_chat)
      {:ok, _} = Chat.join(chat, "lobby", self(), "alice")
      {:ok, _} = Chat.join(chat, "lobby", spawn_member(), "bob")
      refute_received {:chat, "lobby", {:joined, "bob"}}
      assert Chat.who(chat, "lobby") == ["alice", "bob"]
    end

    test "50 processes asking for the same new room at once all get the same pid", %{chat: chat} do
      pids =
        1..50
        |> Enum.map(fn _ -> Task.async(fn -> Chat.room(chat, "race") end) end)
        |> Enum.map(&Task.await/1)

      assert [{:ok, pid}] = Enum.uniq(pids)
      assert DynamicSupervisor.count_children(Chat.room_supervisor(chat)).active == 1
      assert Chat.lookup(chat, "race") == {:ok, pid}
    end
  end

  describe "stage 3: the chat API" do
    test "join/4 starts the room if needed and joins", %{chat: chat} do
      assert Chat.join(chat, "lobby", self(), "alice") == {:ok, []}
      assert Chat.who(chat, "lobby") == ["alice"]
      assert Chat.join(chat, "lobby", self(), "alice") == {:error, :already_member}
    end

    test "who/2 on a room that is not running is [] and does not start it", %{chat: chat} do
      assert Chat.who(chat, "ghost") == []
      assert Chat.lookup(chat, "ghost") == :error
      assert Chat.rooms(chat) == []
    end

    test "two instances are independent, even with the same room names", %{chat: chat} do
      other = unique(Chat)
      start_supervised!({Chat, name: other}, id: :other_chat)

      {:ok, here} = Chat.room(chat, "lobby")
      {:ok, there} = Chat.room(other, "lobby")
      assert here != there

      {:ok, _} = Chat.join(chat, "lobby", self(), "alice")
      assert Chat.who(other, "lobby") == []
    end
  end
end
