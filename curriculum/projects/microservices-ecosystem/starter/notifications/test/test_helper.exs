# `mix test` runs with `--no-start` (see mix.exs): each test starts what it needs.
ExUnit.start()
