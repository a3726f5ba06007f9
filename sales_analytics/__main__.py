from sales_analytics.cli import main

raise SystemExit(main())
