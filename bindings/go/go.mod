module hfi

go 1.19
