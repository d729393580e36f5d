"""Public views of the stories app. Every query selects through ``visible_in(WEB)``."""
