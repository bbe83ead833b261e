import Config

# `mix run --no-halt` starts a chat server on this port (see RealtimeChat.Application).
config :realtime_chat, port: 4040

# Tests start their own chat instances and servers on port 0, so the
# application starts nothing by itself in the test environment.
config :realtime_chat, serve: config_env() != :test
