defmodule Notifications.JSON do
  @moduledoc """
  A small JSON encoder and decoder (RFC 8259). **Provided: nothing to do here.**

  Erlang/OTP 25 has no JSON module (OTP 27 added `:json`), and this project uses no Hex
  packages, so here is the part of JSON we need. In a real service you would use `Jason`.

  Decoding gives maps with **string keys**, lists, binaries, integers, floats, `true`,
  `false` and `nil`. Encoding accepts the same, plus atoms as keys or values.
  """

  @doc "Encodes a term as JSON text (a binary)."
  @spec encode(term()) :: binary()
  def encode(term), do: IO.iodata_to_binary(encode_value(term))

  defp encode_value(nil), do: "null"
  defp encode_value(true), do: "true"
  defp encode_value(false), do: "false"
  defp encode_value(value) when is_integer(value), do: Integer.to_string(value)
  defp encode_value(value) when is_float(value), do: :erlang.float_to_binary(value, [:short])
  defp encode_value(value) when is_atom(value), do: encode_string(Atom.to_string(value))
  defp encode_value(value) when is_binary(value), do: encode_string(value)

  defp encode_value(value) when is_list(value) do
    ["[", Enum.map_intersperse(value, ",", &encode_value/1), "]"]
  end

  defp encode_value(value) when is_map(value) do
    pairs =
      value
      |> Enum.map(fn {key, item} -> {to_string(key), item} end)
      |> Enum.sort()
      |> Enum.map_intersperse(",", fn {key, item} -> [encode_string(key), ":", encode_value(item)] end)

    ["{", pairs, "}"]
  end

  defp encode_string(text), do: [?", escape(text, []), ?"]

  defp escape(<<>>, acc), do: Enum.reverse(acc)
  defp escape(<<?", rest::binary>>, acc), do: escape(rest, ["\\\"" | acc])
  defp escape(<<?\\, rest::binary>>, acc), do: escape(rest, ["\\\\" | acc])
  defp escape(<<?\n, rest::binary>>, acc), do: escape(rest, ["\\n" | acc])
  defp escape(<<?\r, rest::binary>>, acc), do: escape(rest, ["\\r" | acc])
  defp escape(<<?\t, rest::binary>>, acc), do: escape(rest, ["\\t" | acc])

  defp escape(<<c, rest::binary>>, acc) when c < 0x20 do
    hex = c |> Integer.to_string(16) |> String.pad_leading(4, "0")
    escape(rest, ["\\u" <> hex | acc])
  end

  defp escape(<<c, rest::binary>>, acc), do: escape(rest, [c | acc])

  @doc """
  Decodes JSON text. `{:ok, term}`, or `{:error, reason}` for anything that is not exactly
  one JSON value (surrounding whitespace allowed).
  """
  @spec decode(binary()) :: {:ok, term()} | {:error, term()}
  def decode(text) when is_binary(text) do
    with {:ok, value, rest} <- value(skip(text)),
         "" <- skip(rest) do
      {:ok, value}
    else
      {:error, _} = error -> error
      trailing when is_binary(trailing) -> {:error, {:trailing_data, String.slice(trailing, 0, 20)}}
    end
  end

  defp skip(<<c, rest::binary>>) when c in [?\s, ?\t, ?\n, ?\r], do: skip(rest)
  defp skip(text), do: text

  defp value("{" <> rest), do: object(skip(rest), %{})
  defp value("[" <> rest), do: array(skip(rest), [])
  defp value("\"" <> rest), do: string(rest, [])
  defp value("true" <> rest), do: {:ok, true, rest}
  defp value("false" <> rest), do: {:ok, false, rest}
  defp value("null" <> rest), do: {:ok, nil, rest}
  defp value(<<c, _::binary>> = text) when c == ?- or c in ?0..?9, do: number(text)
  defp value(""), do: {:error, :unexpected_end}
  defp value(<<c, _::binary>>), do: {:error, {:unexpected_character, <<c>>}}

  defp object("}" <> rest, acc), do: {:ok, acc, rest}

  defp object("\"" <> rest, acc) do
    with {:ok, key, rest} <- string(rest, []),
         ":" <> rest <- skip(rest),
         {:ok, item, rest} <- value(skip(rest)) do
      acc = Map.put(acc, key, item)

      case skip(rest) do
        "," <> rest -> object_key(skip(rest), acc)
        "}" <> rest -> {:ok, acc, rest}
        _ -> {:error, :expected_comma_or_closing_brace}
      end
    else
      {:error, _} = error -> error
      _ -> {:error, :expected_colon}
    end
  end

  defp object(_, _), do: {:error, :expected_string_key}

  # After a comma a key must follow; `{"a":1,}` is not JSON.
  defp object_key("\"" <> _ = text, acc), do: object(text, acc)
  defp object_key(_, _), do: {:error, :expected_string_key}

  defp array("]" <> rest, acc), do: {:ok, Enum.reverse(acc), rest}

  defp array(text, acc) do
    with {:ok, item, rest} <- value(text) do
      case skip(rest) do
        "," <> rest -> array_item(skip(rest), [item | acc])
        "]" <> rest -> {:ok, Enum.reverse([item | acc]), rest}
        _ -> {:error, :expected_comma_or_closing_bracket}
      end
    end
  end

  defp array_item("]" <> _, _), do: {:error, :trailing_comma}
  defp array_item(text, acc), do: array(text, acc)

  defp string("\"" <> rest, acc) do
    text = IO.iodata_to_binary(Enum.reverse(acc))
    if String.valid?(text), do: {:ok, text, rest}, else: {:error, :invalid_utf8}
  end

  defp string("\\" <> rest, acc) do
    case rest do
      "\"" <> rest -> string(rest, [?" | acc])
      "\\" <> rest -> string(rest, [?\\ | acc])
      "/" <> rest -> string(rest, [?/ | acc])
      "b" <> rest -> string(rest, [?\b | acc])
      "f" <> rest -> string(rest, [?\f | acc])
      "n" <> rest -> string(rest, [?\n | acc])
      "r" <> rest -> string(rest, [?\r | acc])
      "t" <> rest -> string(rest, [?\t | acc])
      "u" <> rest -> unicode_escape(rest, acc)
      _ -> {:error, :bad_escape}
    end
  end

  defp string(<<c, _::binary>>, _acc) when c < 0x20, do: {:error, :control_character_in_string}
  defp string(<<c, rest::binary>>, acc), do: string(rest, [c | acc])
  defp string("", _acc), do: {:error, :unterminated_string}

  defp unicode_escape(<<hex::binary-size(4), rest::binary>>, acc) do
    case Integer.parse(hex, 16) do
      {high, ""} when high in 0xD800..0xDBFF ->
        # A UTF-16 surrogate pair: \uD83D\uDE00 is one character.
        with "\\u" <> <<low_hex::binary-size(4), rest::binary>> <- rest,
             {low, ""} when low in 0xDC00..0xDFFF <- Integer.parse(low_hex, 16) do
          code = 0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00)
          string(rest, [<<code::utf8>> | acc])
        else
          _ -> {:error, :bad_surrogate_pair}
        end

      {code, ""} when code in 0xDC00..0xDFFF ->
        {:error, :bad_surrogate_pair}

      {code, ""} ->
        string(rest, [<<code::utf8>> | acc])

      _ ->
        {:error, :bad_unicode_escape}
    end
  end

  defp unicode_escape(_, _), do: {:error, :bad_unicode_escape}

  defp number(text) do
    [literal] = Regex.run(~r/\A-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/, text) || [""]
    rest = binary_part(text, byte_size(literal), byte_size(text) - byte_size(literal))

    cond do
      literal in ["", "-"] ->
        {:error, :bad_number}

      String.contains?(literal, [".", "e", "E"]) ->
        # Float.parse wants a digit before the exponent's "e" to follow a fraction.
        {float, ""} = Float.parse(normalise_exponent(literal))
        {:ok, float, rest}

      true ->
        {:ok, String.to_integer(literal), rest}
    end
  end

  defp normalise_exponent(literal) do
    if String.contains?(literal, ".") do
      literal
    else
      String.replace(literal, ~r/[eE]/, ".0e", global: false)
    end
  end
end
