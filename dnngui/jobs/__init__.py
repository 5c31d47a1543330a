"""Background work in a QThread: the job runner and the training work it runs."""
