from hipmap.cli import main

raise SystemExit(main())
