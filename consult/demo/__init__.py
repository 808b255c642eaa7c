"""The demo consultation on a Persian draft of Qom's third operational plan."""
