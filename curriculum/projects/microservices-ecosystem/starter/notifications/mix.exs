# The notification service. OTP only: no dependencies, so `mix` never needs Hex or the
# network. `mix test` runs the unit tests (the Rust test `stage4_elixir_unit_tests` runs it
# for you); `NOTIFICATIONS_PORT=4003 mix run --no-halt` starts the service.
defmodule Notifications.MixProject do
  use Mix.Project

  def project do
    [
      app: :notifications,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: [],
      # The tests start the processes they need themselves (each test gets a fresh store),
      # so `mix test` must not start the application and its listener.
      aliases: [test: "test --no-start"]
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {Notifications.Application, []}
    ]
  end
end
