from chengzhen.cli import main

main()
