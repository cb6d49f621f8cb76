# The exit code of printing.weasy for a document longer than it may be (read by printing.pdf).
TOO_MANY_PAGES = 3
