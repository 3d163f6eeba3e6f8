-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "brokerId" INTEGER,
ADD COLUMN     "detail" TEXT;
