from trd_tui.cli import main
raise SystemExit(main())
