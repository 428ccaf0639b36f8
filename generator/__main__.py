from carebase.cli import main

raise SystemExit(main())
