defmodule RealtimeChat.MixProject do
  use Mix.Project

  def project do
    [
      app: :realtime_chat,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      # No dependencies: everything in this project is Elixir and OTP itself,
      # so `mix test` never touches the network.
      deps: []
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {RealtimeChat.Application, []}
    ]
  end
end
