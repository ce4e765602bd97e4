"""The embedded runtime's own machinery: background jobs kept in the database and resumed
after a crash, the periodic jobs run without Celery beat, and stored files that follow the
fate of the transaction that wrote them."""
