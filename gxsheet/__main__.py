"""`python -m gxsheet` works like the `gxsheet` command (and is what gxsheet.bat on Windows may call)."""

from .cli import main

if __name__ == "__main__":
    main()
