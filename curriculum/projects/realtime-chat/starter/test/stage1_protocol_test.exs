defmodule RealtimeChat.Stage1ProtocolTest do
  use ExUnit.Case, async: true
  @moduletag stage: 1

  alias RealtimeChat.Protocol

  describe "stage 1: parsing commands" do
    test "parses each command, with or without the trailing newline" do
      assert Protocol.parse("NICK alice\n") == {:ok, {:nick, "alice"}}
      assert Protocol.parse("JOIN lobby") == {:ok, {:join, "lobby"}}
      assert Protocol.parse("LEAVE lobby\n") == {:ok, {:leave, "lobby"}}
      assert Protocol.parse("WHO lobby\n") == {:ok, {:who, "lobby"}}
      assert Protocol.parse("MSG lobby hello\n") == {:ok, {:msg, "lobby", "hello"}}
      assert Protocol.parse("QUIT\n") == {:ok, :quit}
    end

    test "strips a CRLF line ending but nothing else" do
      assert Protocol.parse("JOIN lobby\r\n") == {:ok, {:join, "lobby"}}
      assert Protocol.parse("MSG lobby hi  \r\n") == {:ok, {:msg, "lobby", "hi  "}}
    end

    test "the command word is case-insensitive, arguments are not" do
      assert Protocol.parse("join Lobby\n") == {:ok, {:join, "Lobby"}}
      assert Protocol.parse("Msg lobby Hi\n") == {:ok, {:msg, "lobby", "Hi"}}
      assert Protocol.parse("quit\n") == {:ok, :quit}
    end

    test "MSG text is everything after the room and one space, spaces included" do
      assert Protocol.parse("MSG lobby hello there,  world \n") ==
               {:ok, {:msg, "lobby", "hello there,  world "}}

      assert Protocol.parse("MSG lobby  indented\n") == {:ok, {:msg, "lobby", " indented"}}
      assert Protocol.parse("MSG lobby JOIN x\n") == {:ok, {:msg, "lobby", "JOIN x"}}
    end

    test "unknown or empty commands are :unknown_command" do
      assert Protocol.parse("HELLO\n") == {:error, :unknown_command}
      assert Protocol.parse("\n") == {:error, :unknown_command}
      assert Protocol.parse("") == {:error, :unknown_command}
      assert Protocol.parse(" JOIN lobby\n") == {:error, :unknown_command}
    end

    test "missing, empty or extra arguments are :bad_args" do
      for line <- ["NICK\n", "NICK \n", "JOIN\n", "LEAVE a b\n", "WHO a b\n", "JOIN  lobby\n"] do
        assert Protocol.parse(line) == {:error, :bad_args}, "for #{inspect(line)}"
      end

      for line <- ["MSG\n", "MSG lobby\n", "MSG lobby \n", "MSG  hi\n", "QUIT now\n"] do
        assert Protocol.parse(line) == {:error, :bad_args}, "for #{inspect(line)}"
      end
    end

    test "names that break the naming rule are :invalid_name" do
      assert Protocol.parse("NICK al!ce\n") == {:error, :invalid_name}
      assert Protocol.parse("JOIN caf\u00e9\n") == {:error, :invalid_name}
      assert Protocol.parse("MSG #lobby hi\n") == {:error, :invalid_name}

      assert Protocol.parse("WHO " <> String.duplicate("a", 33) <> "\n") ==
               {:error, :invalid_name}
    end
  end

  describe "stage 1: the naming rule" do
    test "1 to 32 bytes of letters, digits, _ and -" do
      for name <- ["a", "Alice_01", "back-end", "_", String.duplicate("x", 32)] do
        assert Protocol.valid_name?(name), "#{inspect(name)} should be valid"
      end

      for name <- ["", String.duplicate("x", 33), "a b", "a.b", "#a", "na\u00efve", "tab\t"] do
        refute Protocol.valid_name?(name), "#{inspect(name)} should be invalid"
      end
    end

    test "non-strings are never valid names" do
      refute Protocol.valid_name?(nil)
      refute Protocol.valid_name?(:lobby)
      refute Protocol.valid_name?(~c"lobby")
    end
  end

  describe "stage 1: formatting replies" do
    test "acknowledgements" do
      assert Protocol.format({:ok_nick, "alice"}) == "OK NICK alice\n"
      assert Protocol.format({:ok_join, "lobby", 0}) == "OK JOIN lobby 0\n"
      assert Protocol.format({:ok_join, "lobby", 3}) == "OK JOIN lobby 3\n"
      assert Protocol.format({:ok_leave, "lobby"}) == "OK LEAVE lobby\n"
      assert Protocol.format(:bye) == "BYE\n"
    end

    test "room events and history" do
      assert Protocol.format({:message, "lobby", "bob", "hi there"}) == "MSG lobby bob hi there\n"

      assert Protocol.format({:history, "lobby", "bob", "earlier"}) ==
               "HISTORY lobby bob earlier\n"

      assert Protocol.format({:joined, "lobby", "carol"}) == "JOINED lobby carol\n"
      assert Protocol.format({:left, "lobby", "carol"}) == "LEFT lobby carol\n"
      assert Protocol.format({:lost, "lobby"}) == "LOST lobby\n"
    end

    test "WHO lists nicks in the order given, and nothing after the room when empty" do
      assert Protocol.format({:who, "lobby", ["alice", "bob", "carol"]}) ==
               "WHO lobby alice bob carol\n"

      assert Protocol.format({:who, "lobby", []}) == "WHO lobby\n"
    end

    test "errors" do
      assert Protocol.format({:error, :unknown_command}) == "ERR unknown_command\n"
      assert Protocol.format({:error, :not_member}) == "ERR not_member\n"
    end

    test "a formatted MSG parses back to the same room and text" do
      text = "round  trip: MSG inside "
      "MSG lobby bob " <> rest = Protocol.format({:message, "lobby", "bob", text})
      assert Protocol.parse("MSG lobby " <> rest) == {:ok, {:msg, "lobby", text}}
    end
  end
end
