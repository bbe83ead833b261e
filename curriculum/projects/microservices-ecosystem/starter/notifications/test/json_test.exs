defmodule Notifications.JSONTest do
  use ExUnit.Case, async: true

  alias Notifications.JSON

  describe "JSON (provided)" do
    test "decodes the values the contract uses" do
      assert JSON.decode(~s({"a": 1, "b": [true, false, null], "c": "x\\ny", "d": -2.5e1, "e": {}})) ==
               {:ok, %{"a" => 1, "b" => [true, false, nil], "c" => "x\ny", "d" => -25.0, "e" => %{}}}

      assert JSON.decode(~s("caf\\u00e9 \\ud83d\\ude00")) == {:ok, "café 😀"}
      assert JSON.decode(" 42 ") == {:ok, 42}
      assert JSON.decode("1e3") == {:ok, 1000.0}
    end

    test "rejects what is not exactly one JSON value" do
      for text <- ["", "{", ~s({"a" 1}), ~s({"a":1,}), "[1,]", "01", "tru", ~s({"a":1} x), ~s("\\x"), "{'a':1}"] do
        assert {:error, _} = JSON.decode(text), "expected an error for #{inspect(text)}"
      end
    end

    test "encodes maps with atom or string keys, and escapes strings" do
      text = JSON.encode(%{b: [1, 2.5, nil], a: "quote \" backslash \\ newline \n"})
      assert text == ~s({"a":"quote \\" backslash \\\\ newline \\n","b":[1,2.5,null]})
      assert JSON.decode(text) == {:ok, %{"a" => "quote \" backslash \\ newline \n", "b" => [1, 2.5, nil]}}
    end
  end
end
