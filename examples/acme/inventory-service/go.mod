module github.com/acme/inventory-service

go 1.16

require (
	github.com/gin-gonic/gin v1.6.3
	github.com/go-sql-driver/mysql v1.5.0
	golang.org/x/text v0.3.5
	gopkg.in/yaml.v2 v2.2.8 // indirect
	golang.org/x/net v0.0.0-20210226172049-e18ecbb05110 // indirect
)
