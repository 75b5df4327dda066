import gc
import signal
import sys

from . import GC_THRESHOLD

gc.set_threshold(*GC_THRESHOLD)

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
