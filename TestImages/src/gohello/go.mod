module imageaudit.test/gohello

go 1.19
