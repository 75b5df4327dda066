import gc
import signal
import sys

# A build holds a million small objects that live until it ends (every article's review and view, made or read back
# from the memo). With the collector's default threshold (a collection every 700 allocations) its full collections
# walked them again and again as they piled up: a fifth of a build after one edit at 1,000 articles. Collecting
# every 50,000 allocations, and the older generations twice as seldom, keeps the collector (cycles are rare here:
# our values are trees of frozen dataclasses) without that cost.
gc.set_threshold(50_000, 20, 20)

from .cli import main  # noqa: E402 (after the threshold: importing makes a good part of those objects)

code = 130  # the command was interrupted before it could say how it ended
try:
    code = main()
    # The command is over and has said so: a Ctrl-C now could only interrupt Python's own exit (the atexit hook of
    # the pool that draws preview images), which would print a traceback over a finished build.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
except KeyboardInterrupt:  # came as the command ended (even inside the call above): it is over all the same
    signal.signal(signal.SIGINT, signal.SIG_IGN)
sys.exit(code)
