from chengzhen._entry import main

main()
