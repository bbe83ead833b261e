defmodule RealtimeChat.Stage4TcpTest do
  use ExUnit.Case, async: true
  @moduletag stage: 4

  import ChatTest.Helpers
  import ChatTest.Client
  alias RealtimeChat.{Chat, Server}

  # Every test gets its own chat instance and server on a free loopback port.
  setup do
    chat = unique(Chat)
    server = unique(Server)
    start_supervised!({Chat, name: chat, history_size: 3})
    start_supervised!({Server, name: server, chat: chat, port: 0})
    %{chat: chat, server: server, port: Server.port(server)}
  end

  describe "stage 4: connecting and NICK" do
    test "the server listens on the port it reports", %{port: port} do
      assert is_integer(port) and port > 0
      socket = connect(port)
      assert request(socket, "NICK alice") == "OK NICK alice"
    end

    test "every command except NICK and QUIT needs a nick first", %{port: port} do
      socket = connect(port)

      for line <- ["JOIN lobby", "MSG lobby hi", "LEAVE lobby", "WHO lobby"] do
        assert request(socket, line) == "ERR no_nick", "for #{line}"
      end
    end

    test "the nick can be set once", %{port: port} do
      socket = login(port, "alice")
      assert request(socket, "NICK alice2") == "ERR nick_already_set"
    end

    test "a nick held by another connection is taken", %{port: port} do
      _alice = login(port, "alice")
      other = connect(port)
      assert request(other, "NICK alice") == "ERR nick_taken"
      assert request(other, "NICK alicia") == "OK NICK alicia"
    end

    test "bad lines get ERR replies and the connection stays usable", %{port: port} do
      socket = connect(port)
      assert request(socket, "HELLO") == "ERR unknown_command"
      assert request(socket, "") == "ERR unknown_command"
      assert request(socket, "NICK") == "ERR bad_args"
      assert request(socket, "NICK a.b") == "ERR invalid_name"
      assert request(socket, "nick alice\r") == "OK NICK alice"
    end

    test "one process per connection, under the server's connection supervisor",
         %{port: port, server: server} do
      sockets = for i <- 1..20, do: login(port, "user#{i}")
      assert DynamicSupervisor.count_children(Server.connections(server)).active == 20
      Enum.each(sockets, &:gen_tcp.close/1)

      wait_until(fn ->
        DynamicSupervisor.count_children(Server.connections(server)).active == 0
      end)
    end
  end

  describe "stage 4: rooms over TCP" do
    test "JOIN replies OK JOIN with the history count, others see JOINED", %{port: port} do
      alice = login(port, "alice")
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 0"

      bob = login(port, "bob")
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 0"
      assert recv_line(alice) == "JOINED lobby bob"
      # The joiner does not get its own JOINED: its next line is the WHO reply.
      assert request(bob, "WHO lobby") == "WHO lobby alice bob"
    end

    test "JOIN of a room already joined is ERR already_member", %{port: port} do
      alice = login(port, "alice")
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(alice, "JOIN lobby") == "ERR already_member"
    end

    test "MSG goes to every member, the sender included; no other reply", %{port: port} do
      alice = login(port, "alice")
      bob = login(port, "bob")
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 0"
      assert recv_line(alice) == "JOINED lobby bob"

      assert request(alice, "MSG lobby hello bob") == "MSG lobby alice hello bob"
      assert recv_line(bob) == "MSG lobby alice hello bob"
      assert request(bob, "MSG lobby hi  alice ") == "MSG lobby bob hi  alice "
      assert recv_line(alice) == "MSG lobby bob hi  alice "
    end

    test "MSG to a room you are not in is ERR not_member", %{port: port} do
      alice = login(port, "alice")
      assert request(alice, "MSG lobby hi") == "ERR not_member"
      bob = login(port, "bob")
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(alice, "MSG lobby hi") == "ERR not_member"
    end

    test "JOIN replays the last messages as HISTORY lines, oldest first", %{port: port} do
      alice = login(port, "alice")
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 0"

      for i <- 1..4 do
        assert request(alice, "MSG lobby message #{i}") == "MSG lobby alice message #{i}"
      end

      bob = login(port, "bob")
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 3"
      assert recv_line(bob) == "HISTORY lobby alice message 2"
      assert recv_line(bob) == "HISTORY lobby alice message 3"
      assert recv_line(bob) == "HISTORY lobby alice message 4"
      assert request(bob, "MSG lobby caught up") == "MSG lobby bob caught up"
    end

    test "LEAVE: OK LEAVE for the leaver, LEFT for the others, nothing more after", %{port: port} do
      alice = login(port, "alice")
      bob = login(port, "bob")
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 0"
      assert recv_line(alice) == "JOINED lobby bob"

      assert request(bob, "LEAVE lobby") == "OK LEAVE lobby"
      assert recv_line(alice) == "LEFT lobby bob"
      assert request(bob, "LEAVE lobby") == "ERR not_member"

      assert request(alice, "MSG lobby anyone?") == "MSG lobby alice anyone?"
      assert request(bob, "WHO lobby") == "WHO lobby alice"
    end

    test "WHO works without joining, and is empty for a room that does not exist",
         %{port: port, chat: chat} do
      alice = login(port, "alice")
      assert request(alice, "WHO nowhere") == "WHO nowhere"
      assert Chat.lookup(chat, "nowhere") == :error

      bob = login(port, "bob")
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(alice, "WHO lobby") == "WHO lobby bob"
    end

    test "a client in several rooms gets each room's events with the room name", %{port: port} do
      alice = login(port, "alice")
      bob = login(port, "bob")
      assert request(alice, "JOIN a") == "OK JOIN a 0"
      assert request(alice, "JOIN b") == "OK JOIN b 0"
      assert request(bob, "JOIN b") == "OK JOIN b 0"
      assert recv_line(alice) == "JOINED b bob"

      assert request(alice, "MSG a only a") == "MSG a alice only a"
      assert request(bob, "MSG b to b") == "MSG b bob to b"
      assert recv_line(alice) == "MSG b bob to b"
    end
  end

  describe "stage 4: leaving the server" do
    test "QUIT replies BYE and closes; the others see LEFT", %{port: port} do
      alice = login(port, "alice")
      bob = login(port, "bob")
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 0"
      assert recv_line(alice) == "JOINED lobby bob"

      assert request(bob, "QUIT") == "BYE"
      assert :gen_tcp.recv(bob, 0, 2_000) == {:error, :closed}
      assert recv_line(alice) == "LEFT lobby bob"
    end

    test "a client that just disconnects leaves its rooms and frees its nick", %{port: port} do
      alice = login(port, "alice")
      bob = login(port, "bob")
      assert request(alice, "JOIN lobby") == "OK JOIN lobby 0"
      assert request(bob, "JOIN lobby") == "OK JOIN lobby 0"
      assert recv_line(alice) == "JOINED lobby bob"

      :ok = :gen_tcp.close(bob)
      assert recv_line(alice) == "LEFT lobby bob"

      # The nick is released once the connection process is gone.
      wait_until(fn ->
        socket = connect(port)
        reply = request(socket, "NICK bob")
        :gen_tcp.close(socket)
        reply == "OK NICK bob"
      end)
    end
  end

  describe "stage 4: the application" do
    test "Application.children/1 starts a working chat server" do
      chat = unique(Chat)
      server = unique(Server)
      children = RealtimeChat.Application.children(port: 0, chat: chat, server: server)
      {:ok, sup} = Supervisor.start_link(children, strategy: :one_for_one)

      socket = login(Server.port(server), "alice")
      assert request(socket, "JOIN lobby") == "OK JOIN lobby 0"
      Supervisor.stop(sup)
    end
  end
end
