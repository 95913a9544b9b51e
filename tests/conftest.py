"""Root conftest: nothing here needs Flask or a database, so unit tests stay pure."""
